#!/usr/bin/env bash
# ffmpeg with the decoder told to skip the work a sampled scan does not need, for trying it on identify.jar scan
# without rebuilding it: `scan ... --ffmpeg bench/ffmpeg-skip.sh`. -skip_frame bidir: B-frames are never decoded
# (no frame references them in x264's streams, so the others decode exactly; 3 of 4 frames in GenFilm's films);
# -skip_loop_filter all: no deblocking (the matcher works on grey ORB features, the block edges it leaves at 4
# Mbit/s are faint). Extra decoder options may be given in FFMPEG_SKIP (default the two above).
exec ffmpeg ${FFMPEG_SKIP--skip_frame bidir -skip_loop_filter all} "$@"
