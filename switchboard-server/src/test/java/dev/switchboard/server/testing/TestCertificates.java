package dev.switchboard.server.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway certificate authority and server certificates for TLS tests, made at test time with the openssl
 * command (nothing secret is committed). Server certificates are for {@code localhost} and {@code 127.0.0.1},
 * with ECDSA P-256 keys in PKCS#8 PEM, as {@code tls_key} expects.
 */
public final class TestCertificates {
    private final Path dir;
    private int issued;

    private TestCertificates(Path dir) {
        this.dir = dir;
    }

    /** A new CA in a new temporary directory. */
    public static TestCertificates newAuthority() throws IOException {
        Path dir = Files.createTempDirectory("switchboard-tls-");
        TestCertificates ca = new TestCertificates(dir);
        ca.openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=Switchboard Test CA",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        Files.writeString(dir.resolve("server.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n"
                + "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n");
        return ca;
    }

    /** The CA certificate (PEM), for the clients to trust. */
    public Path caPem() {
        return dir.resolve("ca.pem");
    }

    /** A PKCS#12 trust store holding only the CA, password {@code changeit}. */
    public Path trustStore() throws Exception {
        Path p = dir.resolve("trust.p12");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("switchboard-test-ca", caCertificate());
        try (var out = Files.newOutputStream(p)) {
            ks.store(out, "changeit".toCharArray());
        }
        return p;
    }

    public X509Certificate caCertificate() throws Exception {
        try (InputStream in = Files.newInputStream(caPem())) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    /** A server certificate (and key) whose subject is {@code CN=<commonName>}. */
    public Issued issue(String commonName) throws IOException {
        String n = "server-" + (++issued);
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", n + ".key", "-out", n + ".csr", "-subj", "/CN=" + commonName);
        openssl("x509", "-req", "-in", n + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", n + ".pem", "-days", "2", "-extfile", "server.ext");
        return new Issued(dir.resolve(n + ".pem"), dir.resolve(n + ".key"));
    }

    /** One issued certificate chain and key. */
    public record Issued(Path cert, Path key) {
        /**
         * Puts this pair where the server reads its files, each replaced atomically (a rename), as a
         * deployment tool would do.
         */
        public void installAs(Path certFile, Path keyFile) throws IOException {
            replace(key, keyFile);
            replace(cert, certFile);
        }

        private static void replace(Path from, Path to) throws IOException {
            Path tmp = to.resolveSibling(to.getFileName() + ".tmp");
            Files.copy(from, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    private void openssl(String... args) throws IOException {
        List<String> cmd = new java.util.ArrayList<>();
        cmd.add("openssl");
        cmd.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException("TLS tests need the openssl command (Debian package openssl): " + e.getMessage(), e);
        }
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("openssl " + String.join(" ", args) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
