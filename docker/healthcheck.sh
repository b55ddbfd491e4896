#!/usr/bin/env bash
# Container healthcheck: HTTP GET of a readiness endpoint on this container, healthy only on 200. Plain bash
# (/dev/tcp), because neither the service image (eclipse-temurin JRE) nor HiveMQ's promises curl or wget.
# Usage: healthcheck.sh PORT PATH   e.g. healthcheck.sh 8080 /q/health/ready
set -eu
exec 3<>"/dev/tcp/127.0.0.1/$1"
printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' "$2" >&3
IFS= read -r -t 5 status <&3
[[ "$status" == "HTTP/1."?" 200 "* ]]
