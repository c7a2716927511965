// Argument preprocessing shared by the commands and `waybill emulator`.

/**
 * `--option -3` as `--option=-3` for the options `takesValue` names, so a negative number is a
 * value (and its range is reported) rather than parseArgs' "argument is ambiguous".
 */
export function joinNegativeValues(args: readonly string[], takesValue: (name: string) => boolean): string[] {
  const out: string[] = [];
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] as string;
    const next = args[index + 1];
    if (/^--[^=]+$/.test(arg) && next !== undefined && /^-\d/.test(next) && takesValue(arg.slice(2))) {
      out.push(`${arg}=${next}`);
      index++;
    } else {
      out.push(arg);
    }
  }
  return out;
}
