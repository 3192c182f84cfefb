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
