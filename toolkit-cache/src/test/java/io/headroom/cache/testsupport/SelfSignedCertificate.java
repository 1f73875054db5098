package io.headroom.cache.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away self-signed certificate for {@code 127.0.0.1} (and {@code localhost}), made with
 * the JDK's own {@code keytool} (no openssl needed) and written as PEM files that
 * {@code redis-server --tls-cert-file/--tls-key-file} and Lettuce's
 * {@code SslOptions.trustManager(File)} read: {@code cert.pem} (X.509) and {@code key.pem}
 * (unencrypted PKCS#8, EC P-256). Valid for two days. Nothing here is secret.
 */
public final class SelfSignedCertificate {

  private static final char[] STORE_PASSWORD = "changeit".toCharArray();

  private final Path certificatePem;
  private final Path privateKeyPem;

  private SelfSignedCertificate(Path certificatePem, Path privateKeyPem) {
    this.certificatePem = certificatePem;
    this.privateKeyPem = privateKeyPem;
  }

  /** Creates the certificate and its key in {@code directory} (which must exist). */
  public static SelfSignedCertificate create(Path directory) {
    Path keystore = directory.resolve("keystore.p12");
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    List<String> command =
        List.of(
            keytool.toString(), "-genkeypair", "-noprompt",
            "-alias", "redis",
            "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA",
            "-validity", "2",
            "-dname", "CN=127.0.0.1",
            "-ext", "SAN=ip:127.0.0.1,dns:localhost",
            "-keystore", keystore.toString(),
            "-storetype", "PKCS12",
            "-storepass", new String(STORE_PASSWORD),
            "-keypass", new String(STORE_PASSWORD));
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IOException("keytool failed: " + new String(out, StandardCharsets.UTF_8));
      }
      KeyStore ks = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(keystore)) {
        ks.load(in, STORE_PASSWORD);
      }
      PrivateKey key = (PrivateKey) ks.getKey("redis", STORE_PASSWORD);
      Certificate certificate = ks.getCertificate("redis");
      Path cert = directory.resolve("cert.pem");
      Path keyFile = directory.resolve("key.pem");
      Files.writeString(cert, pem("CERTIFICATE", certificate.getEncoded()), StandardCharsets.US_ASCII);
      Files.writeString(keyFile, pem("PRIVATE KEY", key.getEncoded()), StandardCharsets.US_ASCII);
      return new SelfSignedCertificate(cert, keyFile);
    } catch (IOException e) {
      throw new UncheckedIOException("could not create a self-signed certificate in " + directory, e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("could not read the keytool keystore " + keystore, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running keytool", e);
    }
  }

  private static String pem(String type, byte[] der) {
    String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }

  /** The certificate, PEM: the server's certificate and the client's trust anchor. */
  public Path certificatePem() {
    return certificatePem;
  }

  /** The private key, PEM (PKCS#8, unencrypted). */
  public Path privateKeyPem() {
    return privateKeyPem;
  }
}
