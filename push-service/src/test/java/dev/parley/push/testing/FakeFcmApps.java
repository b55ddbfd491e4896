package dev.parley.push.testing;

import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.firebase.FirebaseApp;
import com.google.firebase.FirebaseOptions;
import dev.parley.devstack.testing.FakeFcm;
import java.net.HttpURLConnection;
import java.net.URL;
import java.util.Date;

/** FirebaseApps of the tests' JVM, wired to a {@link FakeFcm} through the SDK's supported options. */
public final class FakeFcmApps {

    private FakeFcmApps() {
    }

    /** A FirebaseApp (fixed access token, own HTTP transport) whose every request goes to {@code fcm}. */
    public static FirebaseApp app(FakeFcm fcm, String name) {
        NetHttpTransport transport = new NetHttpTransport.Builder()
                .setConnectionFactory(url -> (HttpURLConnection) new URL("http", "127.0.0.1", fcm.port(), url.getFile())
                        .openConnection())
                .build();
        return FirebaseApp.initializeApp(FirebaseOptions.builder()
                .setCredentials(GoogleCredentials.create(
                        new AccessToken(FakeFcm.ACCESS_TOKEN, new Date(System.currentTimeMillis() + 3_600_000))))
                .setProjectId(FakeFcm.PROJECT)
                .setHttpTransport(transport)
                .build(), name);
    }
}
