// A worker that fails as soon as it starts: an I/O worker that died.
throw new Error("the I/O worker failed to start");
