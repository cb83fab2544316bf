package dev.reelcars.platform;

/** The settings every service reads ({@link Common}, the blob store, the bind address, metrics, consensus). */
public final class CommonKeys {
    public static final Keys KEYS = new Keys(Keys.SHARED);

    public static final Key KAFKA_BOOTSTRAP_SERVERS = KEYS.key("REELCARS_KAFKA_BOOTSTRAP_SERVERS", "localhost:9092",
            "the Kafka cluster; the launcher starts an embedded broker when it is unset",
            Keys.was("KAFKA_BOOTSTRAP_SERVERS"));
    public static final Key TOPIC_PREFIX = KEYS.key("REELCARS_TOPIC_PREFIX", "reelcars.",
            "prefix of every topic name");
    public static final Key PARTITIONS = KEYS.key("REELCARS_PARTITIONS", "3",
            "partitions of topics created (the most identify instances that share work)");
    public static final Key REPLICATION_FACTOR = KEYS.key("REELCARS_REPLICATION_FACTOR", "1",
            "replicas of topics created");
    public static final Key MIN_INSYNC_REPLICAS = KEYS.computed("REELCARS_MIN_INSYNC_REPLICAS",
            "`min(2, REELCARS_REPLICATION_FACTOR)`",
            "replicas that must hold a record before it is acknowledged (`min.insync.replicas` of every topic "
                    + "created, dead-letter topics too); at most the replication factor");
    public static final Key INSTANCE_ID = KEYS.computed("REELCARS_INSTANCE_ID", "`<service>-<HOSTNAME>-<pid>`",
            "names this instance's Kafka clients and identify's transactional id; must differ between instances "
                    + "running at once, and a stable value lets a restarted identify fence its crashed predecessor");
    public static final Key HOSTNAME = KEYS.external("HOSTNAME", "local",
            "set by the system or the container runtime: part of the default `REELCARS_INSTANCE_ID`");
    public static final Key DATA_DIR = KEYS.key("REELCARS_DATA_DIR", "data",
            "local state (embedded Kafka log, blobs, token secret, demo marker), relative to the working directory");
    public static final Key BLOB_STORE = KEYS.computed("REELCARS_BLOB_STORE", "`$REELCARS_DATA_DIR/blobs`",
            "the blob store, shared by all services: a directory (a shared volume when services run apart) or "
                    + "`s3://bucket/prefix` for S3-compatible object storage (the bucket must exist)",
            Keys.was("REELCARS_BLOB_DIR"));
    public static final Key S3_ENDPOINT = KEYS.unset("REELCARS_S3_ENDPOINT",
            "with `s3://`: the service's URL, e.g. `http://minio:9000` (MinIO, Ceph RGW, Garage, S3Proxy); unset: "
                    + "AWS S3");
    public static final Key S3_REGION = KEYS.key("REELCARS_S3_REGION", "us-east-1",
            "with `s3://`: the bucket's region (self-hosted services mostly accept any)");
    public static final Key S3_ACCESS_KEY = KEYS.unset("REELCARS_S3_ACCESS_KEY",
            "with `s3://`: a static access key, with `REELCARS_S3_SECRET_KEY` (both or neither; neither: the AWS "
                    + "SDK's default chain, e.g. an instance or task role)");
    public static final Key S3_SECRET_KEY = KEYS.unset("REELCARS_S3_SECRET_KEY",
            "with `s3://`: the static key's secret");
    public static final Key S3_PATH_STYLE = KEYS.computed("REELCARS_S3_PATH_STYLE",
            "`true` with an endpoint, else `false`",
            "with `s3://`: address the bucket in the path (`host/bucket/key`) rather than the host name");
    public static final Key BIND_ADDRESS = KEYS.key("REELCARS_BIND_ADDRESS", "127.0.0.1",
            "the interface every HTTP port listens on (`0.0.0.0` inside a container)");
    public static final Key METRICS_TOKEN = KEYS.unset("REELCARS_METRICS_TOKEN",
            "a bearer token (at least 16 characters) every client of `GET /metrics` must send; unset: `/metrics` "
                    + "for loopback clients only");
    public static final Key FILM_DIR = KEYS.readBy("ingest, identify").computed("REELCARS_FILM_DIR",
            "`$REELCARS_DATA_DIR/films`",
            "finished films (`<sha256>.film`), written by ingest and read by identify: the same directory, or a shared "
                    + "volume when they run apart");
    public static final Key CONSENSUS = KEYS.readBy("notify, catalogue").key("REELCARS_CONSENSUS", "2",
            "how many reviewers must agree before a match or a proposal is confirmed or rejected; the same for "
                    + "notify and the catalogue (the launcher's demo mode makes it 1 unless set)");

    private CommonKeys() {
    }
}
