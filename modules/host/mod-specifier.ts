/**
 * How a mod's imports name its own modules inside the Compartment (mod-loader.ts): module names
 * are the manifest's (`"mod": "./chat", "*": ["./codec"]` gives `mod` and `codec`), and a
 * TypeScript import `./codec.js` from `mod` must find `codec`. Pure, so it is tested on Node.
 */

/** `./codec.js` imported by `mod` is `codec`; `../x.js` from `a/b` is `x`; bare names stay. */
export function resolveSpecifier(specifier: string, referrer: string): string {
  if (!specifier.startsWith('./') && !specifier.startsWith('../')) return specifier;
  const parts = referrer.split('/').slice(0, -1);
  for (const part of specifier.split('/')) {
    if (part === '..') parts.pop();
    else if (part !== '.') parts.push(part);
  }
  const path = parts.join('/');
  return path.endsWith('.js') ? path.slice(0, -3) : path;
}
