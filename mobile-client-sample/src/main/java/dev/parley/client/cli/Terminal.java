package dev.parley.client.cli;

import java.io.PrintStream;

/** Lines to the person at the terminal, whole and flushed (the client's thread and the input loop both write). */
final class Terminal {

    private final PrintStream out;

    Terminal(PrintStream out) {
        this.out = out;
    }

    synchronized void say(String line) {
        out.println(line);
        out.flush();
    }
}
