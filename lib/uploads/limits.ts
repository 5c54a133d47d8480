/** The limits every uploaded image is held to (checked in sanitize-image.ts, the upload route and the service). */
export const UPLOAD_LIMITS = {
  /** Bytes of the request body. */
  maxBytes: 10 * 1024 * 1024,
  /** Width × height sharp will decode (the header is read first): 16.7 MP. */
  maxInputPixels: 4096 * 4096,
  /** Longest side kept: image prompts are resized to the model's size anyway. */
  storedSide: 1024,
  thumbSide: 256,
  /** Uploads a user may keep; older ones must be deleted to add more. */
  maxPerUser: 200,
  /** Uploads a user may send per minute (each one is decoded and re-encoded). */
  perMinute: 30,
  /**
   * Memory and CPU bounds per web process: a user's uploads in progress (each
   * holds its body, up to maxBytes), images decoded at once (each up to
   * maxInputPixels × 4 bytes and a libuv thread), and how long one may take.
   */
  inFlightPerUser: 2,
  concurrentDecodes: 2,
  decodeSeconds: 10,
} as const;
