/** Password lengths, shared by better-auth's settings and the forms that ask for one (browser-safe). */
export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 128;
