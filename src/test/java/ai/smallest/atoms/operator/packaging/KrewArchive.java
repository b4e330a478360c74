package ai.smallest.atoms.operator.packaging;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.CRC32;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * The kubectl-agr release archive, built reproducibly: the same script always gives the same bytes,
 * so the krew manifest can carry its sha256. The tar (commons-compress, already on the classpath
 * through the Kubernetes client) has fixed times, owners and modes; the gzip stream is written by
 * hand with stored (uncompressed) deflate blocks, because what a Deflater produces depends on the
 * zlib the JDK was built with. The script is a few kilobytes: compression would save nothing that
 * matters.
 */
final class KrewArchive {

  /** 2026-01-01T00:00:00Z: a fixed modification time for every entry. */
  private static final long MTIME = 1767225600L;

  private KrewArchive() {}

  /** A .tar.gz holding each file at the archive root, executable (0755). */
  static byte[] tarGz(Path... files) {
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    try (TarArchiveOutputStream out = new TarArchiveOutputStream(tar)) {
      for (Path file : files) {
        byte[] content = Files.readAllBytes(file);
        TarArchiveEntry entry = new TarArchiveEntry(file.getFileName().toString());
        entry.setSize(content.length);
        entry.setMode(0100755);
        entry.setModTime(MTIME * 1000);
        entry.setUserId(0);
        entry.setGroupId(0);
        entry.setUserName("root");
        entry.setGroupName("root");
        out.putArchiveEntry(entry);
        out.write(content);
        out.closeArchiveEntry();
      }
      out.finish();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return gzipStored(tar.toByteArray());
  }

  /** RFC 1952 gzip of RFC 1951 stored blocks: no compression, fully determined by the input. */
  static byte[] gzipStored(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    // ID1 ID2 CM=deflate FLG=0 MTIME=0 XFL=0 OS=255 (unknown)
    out.writeBytes(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 255});
    int offset = 0;
    do {
      int length = Math.min(0xffff, data.length - offset);
      boolean last = offset + length == data.length;
      out.write(last ? 1 : 0); // BFINAL, BTYPE=00 (stored)
      out.write(length & 0xff);
      out.write(length >>> 8);
      out.write(~length & 0xff);
      out.write((~length >>> 8) & 0xff);
      out.write(data, offset, length);
      offset += length;
    } while (offset < data.length);
    CRC32 crc = new CRC32();
    crc.update(data);
    writeInt(out, (int) crc.getValue());
    writeInt(out, data.length);
    return out.toByteArray();
  }

  private static void writeInt(ByteArrayOutputStream out, int value) {
    for (int i = 0; i < 4; i++) {
      out.write((value >>> (8 * i)) & 0xff);
    }
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
