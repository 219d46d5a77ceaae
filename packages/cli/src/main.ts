/** Entry point of the `clusterlab` command: returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  console.log(`clusterlab ${argv.join(" ")}`);
  return 0;
}
