// Shared set-up for every test file: nothing global yet beyond strict failure on
// unhandled rejections, so a forgotten await fails the run instead of passing quietly.
process.on("unhandledRejection", (reason) => {
  throw reason;
});
