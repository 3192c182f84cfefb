/** Commander parsers for numeric options. */
import { InvalidArgumentError } from 'commander';

/** Parses a finite number that passes `check`; otherwise commander reports `name: bad value "..."`. */
export function num(name: string, check: (v: number) => boolean) {
  return (value: string): number => {
    const v = Number(value);
    if (!Number.isFinite(v) || !check(v)) throw new InvalidArgumentError(`${name}: bad value ${JSON.stringify(value)}`);
    return v;
  };
}

/** Parses a list of finite numbers separated by commas or spaces (e.g. `0,0.5,1`). */
export function numberList(flag: string) {
  return (value: string): number[] => {
    const out = value.split(/[\s,]+/).filter((p) => p !== '').map(Number);
    if (out.length === 0 || out.some((x) => !Number.isFinite(x))) throw new InvalidArgumentError(`${flag}: expected numbers, got ${JSON.stringify(value)}`);
    return out;
  };
}
