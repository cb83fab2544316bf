import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfInt;
import org.opencv.core.MatOfPoint2f;
import org.opencv.core.Point;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * Makes docs/demo-still.jpg: a film-like still of the demo gallery's blue pickup truck (a different tone-mapping
 * of the same photo) pasted, slightly rotated, into a public-domain scene, turned grey, grainy and letterboxed.
 * Run: java -cp ~/.m2/repository/org/openpnp/opencv/4.9.0-0/opencv-4.9.0-0.jar docs/tools/MakeDemoStill.java TRUCK SCENE OUT
 */
public class MakeDemoStill {
    public static void main(String[] args) {
        nu.pattern.OpenCV.loadLocally();
        Mat truck = Imgcodecs.imread(args[0]);
        Mat scene = Imgcodecs.imread(args[1]);
        Mat frame = new Mat();
        Imgproc.resize(scene, frame, new Size(1280, 720));
        // Crop the truck differently from the reference and warp it with a mild perspective.
        Mat car = truck.submat(new Rect(60, 90, truck.cols() - 140, truck.rows() - 150));
        MatOfPoint2f src = new MatOfPoint2f(new Point(0, 0), new Point(car.cols(), 0),
                new Point(car.cols(), car.rows()), new Point(0, car.rows()));
        MatOfPoint2f dst = new MatOfPoint2f(new Point(420, 250), new Point(900, 230),
                new Point(910, 560), new Point(405, 575));
        Mat h = Imgproc.getPerspectiveTransform(src, dst);
        Mat warped = new Mat();
        Imgproc.warpPerspective(car, warped, h, frame.size());
        Mat mask = new Mat(car.size(), CvType.CV_8UC1, new Scalar(255));
        Mat warpedMask = new Mat();
        Imgproc.warpPerspective(mask, warpedMask, h, frame.size());
        warped.copyTo(frame, warpedMask);
        // Old film: grey, soft, grainy, low contrast, letterboxed.
        Imgproc.cvtColor(frame, frame, Imgproc.COLOR_BGR2GRAY);
        Imgproc.GaussianBlur(frame, frame, new Size(3, 3), 0.8);
        Mat grain = new Mat(frame.size(), CvType.CV_16SC1);
        Core.randn(grain, 0, 8);
        Mat f16 = new Mat();
        frame.convertTo(f16, CvType.CV_16SC1, 0.8, 20);
        Core.add(f16, grain, f16);
        f16.convertTo(frame, CvType.CV_8UC1);
        Imgproc.rectangle(frame, new Point(0, 0), new Point(1280, 80), new Scalar(0), -1);
        Imgproc.rectangle(frame, new Point(0, 640), new Point(1280, 720), new Scalar(0), -1);
        Imgcodecs.imwrite(args[2], frame, new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, 70));
    }
}
