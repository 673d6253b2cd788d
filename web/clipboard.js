// Copies text to the clipboard: the asynchronous Clipboard API where the page may use it
// (a secure context: https or localhost), else a hidden text area and the copy command.

// Resolves true when the text was copied, false when the browser refused.
export async function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch (_) {
      // Refused (no permission, page not focused): try the older way.
    }
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.className = 'clipboard-buffer';
  const focused = document.activeElement;
  document.body.append(area);
  area.select();
  let copied = false;
  try {
    copied = document.execCommand('copy');
  } catch (_) {
    copied = false;
  }
  area.remove();
  if (focused && focused.isConnected && typeof focused.focus === 'function') {
    focused.focus({ preventScroll: true });
  }
  return copied;
}
