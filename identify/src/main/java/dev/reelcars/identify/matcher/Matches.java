package dev.reelcars.identify.matcher;

/** Tentative feature matches between a still and one reference: parallel index arrays, {@code count} used. */
record Matches(int[] queryIdx, int[] refIdx, int count) {}
