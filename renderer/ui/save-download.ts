/** Hands a Blob to the browser's own download (it sanitizes the name and never overwrites). */
export function saveDownload(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = Object.assign(document.createElement('a'), { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started reading the blob; the URL can go once it surely has.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
