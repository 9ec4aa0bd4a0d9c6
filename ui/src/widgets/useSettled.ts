import { useEffect, useState } from 'preact/hooks';

/**
 * `value`, once it has stayed the same for `ms`. For live regions: what changes on every
 * keystroke is announced once, when typing pauses, instead of at each change.
 */
export function useSettled<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    if (Object.is(value, settled)) return undefined;
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, settled, ms]);
  return settled;
}
