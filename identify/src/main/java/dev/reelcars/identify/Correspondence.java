package dev.reelcars.identify;

import java.util.Objects;

/** One geometrically verified feature match: where it lies in the still and in the reference image. */
public record Correspondence(Point2 still, Point2 reference) {
  public Correspondence {
    Objects.requireNonNull(still, "still");
    Objects.requireNonNull(reference, "reference");
  }
}
