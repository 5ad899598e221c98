// A worker that is still starting two seconds after it was made: an I/O worker that never came up.
Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2_000);
