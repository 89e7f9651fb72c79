// ms ships no types of its own; this is the one function the service uses.
declare module "ms" {
  function ms(milliseconds: number, options?: { long: boolean }): string;
  export = ms;
}
