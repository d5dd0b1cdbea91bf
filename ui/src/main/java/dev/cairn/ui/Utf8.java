package dev.cairn.ui;

import java.util.Arrays;

/** Cutting UTF-8 text to a byte budget without splitting a character. */
final class Utf8 {
  private Utf8() {}

  static byte[] cut(byte[] text, int limit) {
    if (text.length <= limit) {
      return text;
    }
    int end = limit;
    // Back off continuation bytes (10xxxxxx) so the cut falls between characters.
    while (end > 0 && (text[end] & 0xC0) == 0x80) {
      end--;
    }
    return Arrays.copyOf(text, end);
  }
}
