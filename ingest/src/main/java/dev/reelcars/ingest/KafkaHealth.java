package dev.reelcars.ingest;

import dev.reelcars.platform.kafka.KafkaSettings;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/** Answers "is the broker reachable now?" for {@code /health}, with one long-lived admin client and a short wait. */
final class KafkaHealth implements AutoCloseable {
    private static final int TIMEOUT_MS = 2000;
    private final Admin admin;

    KafkaHealth(KafkaSettings kafka) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, kafka.clientId("ingest-health"));
        // A health probe must answer quickly: never let one request wait longer than the probe itself.
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, TIMEOUT_MS);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, TIMEOUT_MS);
        this.admin = Admin.create(p);
    }

    boolean reachable() {
        try {
            return !admin.describeCluster(new DescribeClusterOptions().timeoutMs(TIMEOUT_MS))
                    .nodes().get(TIMEOUT_MS, TimeUnit.MILLISECONDS).isEmpty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            return false;
        }
    }

    @Override
    public void close() {
        admin.close(java.time.Duration.ofSeconds(2));
    }
}
