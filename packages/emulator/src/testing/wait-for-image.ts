// Polls GetImage until an image settles (AVAILABLE, FAILED or CANCELLED): the tests' way to wait for a
// simulated build or distribution, never a sleep.
import { GetImageCommand, type Image, type ImagebuilderClient } from "@aws-sdk/client-imagebuilder";

const settled = new Set(["AVAILABLE", "FAILED", "CANCELLED"]);

/** The image once settled, with every status it was seen in (in order, each once). */
export async function waitForImageStatuses(
  client: ImagebuilderClient,
  imageBuildVersionArn: string,
  timeoutMs = 30_000,
): Promise<{ image: Image; seen: string[] }> {
  const deadline = Date.now() + timeoutMs;
  const seen: string[] = [];
  for (;;) {
    const { image } = await client.send(new GetImageCommand({ imageBuildVersionArn }));
    const status = image?.state?.status ?? "";
    if (seen.at(-1) !== status) seen.push(status);
    if (image !== undefined && settled.has(status)) return { image, seen };
    if (Date.now() > deadline)
      throw new Error(`${imageBuildVersionArn} still ${status} after ${timeoutMs} ms`);
  }
}

/** The image once settled. */
export async function waitForImage(
  client: ImagebuilderClient,
  imageBuildVersionArn: string,
  timeoutMs?: number,
): Promise<Image> {
  return (await waitForImageStatuses(client, imageBuildVersionArn, timeoutMs)).image;
}
