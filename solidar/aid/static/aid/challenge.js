/* The intake's anti-spam challenge (solidar/aid/challenge.py), solved in the browser.
 *
 * Finds a nonce such that SHA-256(token + ":" + nonce) starts with `bits` zero bits and
 * puts it in the form's hidden "nonce" field. Runs in a Web Worker (this same file) so the
 * page stays responsive; where workers are unavailable, in small chunks on the page.
 * Without JavaScript the server accepts the form after a short wait instead.
 *
 * SHA-256 is written out here (no crypto.subtle: one async call per hash is far slower),
 * and the blocks of "token:" that never change are hashed once (the "midstate"): each
 * attempt then costs one compression. No third party, no inline script (CSP).
 */
(function () {
  "use strict";

  var K = new Int32Array([
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
  ]);
  var INITIAL = [
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19
  ];
  var W = new Int32Array(64);

  /* One compression of the 64-byte block at bytes[offset] into state (Int32Array(8)). */
  function compress(state, bytes, offset) {
    var i, s0, s1, t1, t2;
    for (i = 0; i < 16; i++) {
      var j = offset + i * 4;
      W[i] = (bytes[j] << 24) | (bytes[j + 1] << 16) | (bytes[j + 2] << 8) | bytes[j + 3];
    }
    for (i = 16; i < 64; i++) {
      var w15 = W[i - 15], w2 = W[i - 2];
      s0 = ((w15 >>> 7) | (w15 << 25)) ^ ((w15 >>> 18) | (w15 << 14)) ^ (w15 >>> 3);
      s1 = ((w2 >>> 17) | (w2 << 15)) ^ ((w2 >>> 19) | (w2 << 13)) ^ (w2 >>> 10);
      W[i] = (W[i - 16] + s0 + W[i - 7] + s1) | 0;
    }
    var a = state[0], b = state[1], c = state[2], d = state[3];
    var e = state[4], f = state[5], g = state[6], h = state[7];
    for (i = 0; i < 64; i++) {
      s1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      t1 = (h + s1 + ((e & f) ^ (~e & g)) + K[i] + W[i]) | 0;
      s0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      t2 = (s0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      h = g; g = f; f = e; e = (d + t1) | 0;
      d = c; c = b; b = a; a = (t1 + t2) | 0;
    }
    state[0] = (state[0] + a) | 0; state[1] = (state[1] + b) | 0;
    state[2] = (state[2] + c) | 0; state[3] = (state[3] + d) | 0;
    state[4] = (state[4] + e) | 0; state[5] = (state[5] + f) | 0;
    state[6] = (state[6] + g) | 0; state[7] = (state[7] + h) | 0;
  }

  function asciiBytes(text) {
    var out = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
    return out;
  }

  function leadingZeroBitsAtLeast(state, bits) {
    for (var word = 0; bits > 0; word++) {
      var take = bits > 32 ? 32 : bits;
      if (take === 32 ? state[word] !== 0 : (state[word] >>> (32 - take)) !== 0) return false;
      bits -= take;
    }
    return true;
  }

  /* A solver for one token: try(count) tests the next `count` nonces, returning the
     nonce (a decimal string) that solves it, or null. */
  function Solver(token, bits) {
    var prefix = asciiBytes(token + ":");
    var full = prefix.length - (prefix.length % 64);
    var mid = new Int32Array(INITIAL);
    for (var offset = 0; offset < full; offset += 64) compress(mid, prefix, offset);
    var rest = prefix.subarray(full);
    var block = new Uint8Array(128);
    block.set(rest);
    var state = new Int32Array(8);
    var next = 0;
    this.attempts = 0;
    this.tryNext = function (count) {
      for (var n = 0; n < count; n++, next++) {
        var digits = String(next);
        var length = rest.length;
        for (var i = 0; i < digits.length; i++) block[length++] = digits.charCodeAt(i);
        block[length++] = 0x80;
        var blocks = length + 8 <= 64 ? 1 : 2;
        var end = blocks * 64;
        while (length < end - 4) block[length++] = 0;
        var bitLength = (prefix.length + digits.length) * 8;
        block[end - 4] = bitLength >>> 24; block[end - 3] = (bitLength >>> 16) & 0xff;
        block[end - 2] = (bitLength >>> 8) & 0xff; block[end - 1] = bitLength & 0xff;
        state.set(mid);
        compress(state, block, 0);
        if (blocks === 2) compress(state, block, 64);
        if (leadingZeroBitsAtLeast(state, bits)) {
          this.attempts += n + 1;
          next++;
          return digits;
        }
      }
      this.attempts += count;
      return null;
    };
  }

  function bitsOf(token) {
    var parts = token.split(":")[0].split(".");
    var bits = parseInt(parts[parts.length - 1], 10);
    return isNaN(bits) || bits < 0 || bits > 64 ? null : bits;
  }

  /* -- in a worker: solve what the page sends ------------------------------------------- */
  if (typeof document === "undefined") {
    self.onmessage = function (event) {
      var solver = new Solver(event.data.token, event.data.bits);
      var found = null;
      while (found === null) found = solver.tryNext(100000);
      self.postMessage({ nonce: found, attempts: solver.attempts });
    };
    return;
  }

  /* -- on the page ---------------------------------------------------------------------- */
  var script = document.currentScript;

  function start() {
    var form = document.getElementById("aid-intake");
    if (!form) return;
    var tokenField = form.querySelector("input[name=token]");
    var nonceField = form.querySelector("input[name=nonce]");
    var status = document.getElementById("challenge-status");
    if (!tokenField || !nonceField || !tokenField.value) return;
    var token = tokenField.value;
    var bits = bitsOf(token);
    if (bits === null) return;
    var began = Date.now();

    function say(key) {
      if (!status) return;
      status.textContent = status.getAttribute("data-" + key) || "";
      status.hidden = false;
    }

    function done(nonce, attempts) {
      if (tokenField.value !== token) return; // the form changed meanwhile
      nonceField.value = nonce;
      form.setAttribute("data-challenge-ms", String(Date.now() - began));
      form.setAttribute("data-challenge-attempts", String(attempts));
      say("done");
    }

    function onPage() {
      var solver = new Solver(token, bits);
      (function chunk() {
        var found = solver.tryNext(20000);
        if (found === null) setTimeout(chunk, 0);
        else done(found, solver.attempts);
      })();
    }

    // A second click would send the same token again, which the server refuses.
    form.addEventListener("submit", function () {
      var buttons = form.querySelectorAll("button[type=submit]");
      setTimeout(function () {
        for (var i = 0; i < buttons.length; i++) buttons[i].disabled = true;
      }, 0);
    });
    if (nonceField.value) {
      say("done"); // solved before the page came back with a message
      return;
    }
    say("working");
    var worker = null;
    try {
      worker = new Worker(script.src);
    } catch (error) {
      worker = null;
    }
    if (!worker) {
      onPage();
      return;
    }
    worker.onmessage = function (event) {
      done(event.data.nonce, event.data.attempts);
      worker.terminate();
    };
    worker.onerror = function (event) {
      event.preventDefault();
      worker.terminate();
      onPage();
    };
    worker.postMessage({ token: token, bits: bits });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
