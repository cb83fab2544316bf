package dev.reelcars.ingest;

/**
 * Where the picture is inside black letterbox or pillarbox bars, in displayed pixels. The bytes are stored as
 * uploaded; the box travels with the still (record header {@value #HEADER} and the upload's answer) so a consumer
 * can crop the bars away without searching for them again.
 */
record ContentBox(int x, int y, int width, int height) {
    static final String HEADER = "reelcars.content-box";

    /** The header form {@code x,y,width,height}. */
    String toHeader() {
        return x + "," + y + "," + width + "," + height;
    }
}
