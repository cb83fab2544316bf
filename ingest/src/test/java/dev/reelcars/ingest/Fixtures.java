package dev.reelcars.ingest;

import dev.reelcars.platform.image.OpenCvNatives;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.imgcodecs.Imgcodecs;

/** Test images: committed files under src/test/resources, and generated hostile ones (see bad-inputs/README.md). */
final class Fixtures {
    private Fixtures() {
    }

    static byte[] resource(String path) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] image(String name) {
        return resource("images/" + name);
    }

    static byte[] badInput(String name) {
        return resource("bad-inputs/" + name);
    }

    /**
     * A real PNG decompression bomb: a {@code width x height} 1-bit grey image of zeros, every row present, so a
     * decoder would allocate width x height bytes (900 MB for 30000 x 30000) from about 110 KB.
     */
    static byte[] pngBomb(int width, int height) {
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        byte[] row = new byte[1 + (width + 7) / 8];
        try (DeflaterOutputStream z = new DeflaterOutputStream(idat, new Deflater(9), 1 << 16)) {
            for (int y = 0; y < height; y++) {
                z.write(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height)
                .put((byte) 1).put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(png, "IHDR", ihdr.array());
        chunk(png, "IDAT", idat.toByteArray());
        chunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(t);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /** Decodes, transforms and re-encodes an image with OpenCV (for near-duplicate and format tests). */
    static byte[] reencode(byte[] bytes, String ext, java.util.function.UnaryOperator<Mat> transform, int... params) {
        OpenCvNatives.load();
        MatOfByte in = new MatOfByte(bytes);
        Mat decoded = Imgcodecs.imdecode(in, Imgcodecs.IMREAD_COLOR);
        Mat changed = transform.apply(decoded);
        MatOfByte out = new MatOfByte();
        try {
            if (!Imgcodecs.imencode(ext, changed, out, new MatOfInt(params))) {
                throw new IllegalStateException("cannot encode " + ext);
            }
            return out.toArray();
        } finally {
            in.release();
            decoded.release();
            changed.release();
            out.release();
        }
    }

    /** The JPEG with an EXIF APP1 segment holding only the orientation tag, inserted right after SOI. */
    static byte[] withExifOrientation(byte[] jpeg, int orientation) {
        ByteBuffer exif = ByteBuffer.allocate(2 + 6 + 8 + 2 + 12 + 4);
        exif.putShort((short) (exif.capacity()));
        exif.put(new byte[] {'E', 'x', 'i', 'f', 0, 0});
        exif.put(new byte[] {'M', 'M', 0, 42}).putInt(8);
        exif.putShort((short) 1);
        exif.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
        exif.putInt(0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        out.write(0xFF);
        out.write(0xE1);
        out.writeBytes(exif.array());
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }
}
