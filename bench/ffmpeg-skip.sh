#!/usr/bin/env bash
# ffmpeg with the decoder told to skip work a sampled scan does not need, for trying it on identify.jar scan without
# rebuilding it: `scan ... --ffmpeg bench/ffmpeg-skip.sh`. Default: -skip_frame noref (frames no other frame
# references are not decoded: always exact for the frames that are), what identify's FilmFrames now does itself.
# Other decoder options in FFMPEG_SKIP, e.g. FFMPEG_SKIP='-skip_frame bidir' (all B-frames: exact on GenFilm's
# films, ref=1, but not on x264's default ref=3, where P-frames reference B-frames: PSNR 33.8 dB, min 27.7) or
# '-skip_frame noref -skip_loop_filter all' (no deblocking: the references drift, 61 dB down to 29 dB in a 7 s shot).
exec ffmpeg ${FFMPEG_SKIP--skip_frame noref} "$@"
