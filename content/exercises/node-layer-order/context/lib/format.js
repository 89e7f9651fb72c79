// format turns a number of milliseconds into words: 90000 -> "1 minute".
const ms = require("ms");

function format(millis) {
  if (!Number.isFinite(millis) || millis < 0) {
    throw new RangeError(`not a duration: ${millis}`);
  }
  return ms(millis, { long: true });
}

module.exports = { format };
