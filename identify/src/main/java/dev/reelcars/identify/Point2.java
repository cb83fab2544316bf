package dev.reelcars.identify;

/** A point in image pixel coordinates (x to the right, y down). */
public record Point2(double x, double y) {}
