// The local lock (docs/security.md "Local lock"): after the idle limit the app hides
// everything and asks for the password again, offline too. At sign-in a verifier is derived
// from the password; only its salt, iteration count and derived bits are kept, never the password.

// PBKDF2-HMAC-SHA-256 as OWASP advises (600,000 rounds): the verifier sits on the phone,
// so a thief could guess at it offline, where the five-try limit does not apply.
const ITERATIONS = 600_000;
const SALT_BYTES = 16;
const DERIVED_BITS = 256;
export const MAX_UNLOCK_TRIES = 5;
// Until the server says otherwise at sign-in (SESSION_IDLE_MINUTES).
export const DEFAULT_IDLE_MINUTES = 30;
const ACTIVITY_EVENTS = ["pointerdown", "keydown"];
// The last activity is written down at most this often: a reload or a closed app still
// counts the idle time since then.
const SAVE_ACTIVITY_EVERY_MS = 15_000;
// A clock set back (by more than a drift) must not make a long absence look short.
const CLOCK_SKEW_MS = 5 * 60_000;

async function derive(password, salt, iterations) {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(password), "PBKDF2", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, key, DERIVED_BITS);
  return new Uint8Array(bits);
}

export async function makeVerifier(password) {
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  return { salt, iterations: ITERATIONS, bits: await derive(password, salt, ITERATIONS) };
}

// Every byte is compared whatever the first difference, so the time taken tells nothing.
export async function matchesVerifier(verifier, password) {
  const bits = await derive(password, verifier.salt, verifier.iterations);
  let difference = bits.length ^ verifier.bits.length;
  for (let i = 0; i < verifier.bits.length; i += 1) difference |= bits[i] ^ verifier.bits[i];
  return difference === 0;
}

// Calls onIdle once nobody has touched the app for limitMs. Timers sleep with the phone,
// so the time is checked again whenever the app comes back into view.
export class IdleWatch {
  constructor({ limitMs, lastActive, onIdle, saveActivity }) {
    Object.assign(this, { limitMs, lastActive, onIdle, saveActivity });
    this.savedAt = lastActive;
    this.timer = null;
    this.touch = this.touch.bind(this);
    this.check = this.check.bind(this);
  }

  start() {
    for (const name of ACTIVITY_EVENTS) document.addEventListener(name, this.touch, { capture: true, passive: true });
    document.addEventListener("visibilitychange", this.check);
    this.check();
  }

  // After unlocking: the idle time counts from now.
  restart() {
    this.lastActive = this.savedAt = Date.now();
    this.saveActivity(this.lastActive);
    this.start();
  }

  stop() {
    clearTimeout(this.timer);
    for (const name of ACTIVITY_EVENTS) document.removeEventListener(name, this.touch, { capture: true });
    document.removeEventListener("visibilitychange", this.check);
  }

  touch() {
    this.lastActive = Date.now();
    if (this.lastActive - this.savedAt < SAVE_ACTIVITY_EVERY_MS) return;
    this.savedAt = this.lastActive;
    this.saveActivity(this.lastActive);
  }

  check() {
    clearTimeout(this.timer);
    const now = Date.now();
    const left = this.lastActive + this.limitMs - now;
    if (left <= 0 || now < this.lastActive - CLOCK_SKEW_MS) {
      this.stop();
      this.onIdle();
      return;
    }
    this.timer = setTimeout(this.check, left);
  }
}
