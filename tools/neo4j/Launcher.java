// A throwaway Neo4j Community 5.26 for crm-kg's tests and benchmarks: embedded, Bolt on 127.0.0.1, authentication on.
//
//   java -Xmx768m -cp 'build/neo4j/lib/*' tools/neo4j/Launcher.java --data-dir DIR --env-file FILE \
//        [--port N] [--page-cache 256m] [--parent-pid PID]
//
// The jars come from tools/neo4j/pom.xml (`make neo4j-jars`). Java 17's source-file mode: no build step.
// On a new data directory the password of `neo4j` is set before the database first starts, the way
// `neo4j-admin dbms set-initial-password` does it (an initial-user file that the system database reads once), so Bolt
// never accepts the default neo4j/neo4j; on an existing one it is reset through the system database. Port 0 (the
// default) picks a free port. When Bolt answers an authenticated `RETURN 1`, FILE gets NEO4J_URI, NEO4J_USERNAME and
// NEO4J_PASSWORD (mode 0600) and the launcher blocks until SIGTERM/SIGINT (or until --parent-pid exits); a shutdown hook
// then shuts the database down and removes FILE. The launcher's log is DIR/launcher.log, Neo4j's own DIR/logs/.
// On failure: one line on stderr, the details in the log, exit status 1.

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.Config;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.connectors.ConnectorPortRegister;
import org.neo4j.configuration.connectors.ConnectorType;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.io.fs.DefaultFileSystemAbstraction;
import org.neo4j.kernel.impl.security.User;
import org.neo4j.kernel.internal.GraphDatabaseAPI;
import org.neo4j.logging.NullLogProvider;
import org.neo4j.logging.log4j.Log4jLogProvider;
import org.neo4j.memory.EmptyMemoryTracker;
import org.neo4j.server.security.SecureHasher;
import org.neo4j.server.security.SystemGraphCredential;
import org.neo4j.server.security.auth.CommunitySecurityModule;
import org.neo4j.server.security.auth.FileUserRepository;

public final class Launcher {
    private static final String USER = "neo4j";
    private static PrintStream log = System.err;
    private static Path logFile;
    private static volatile DatabaseManagementService service;
    private static volatile Path envFile;

    public static void main(String[] argv) {
        try {
            run(argv);
        } catch (Throwable e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            String where = "";
            if (logFile != null) { // the details go to the log; stderr gets one line
                log("failed: " + e);
                e.printStackTrace(log);
                log.flush();
                where = " (log: " + logFile + ")";
            }
            shutdown(); // if the database had started: shut it down, remove the env file
            System.err.println("neo4j launcher: " + oneLine(root) + where);
            Runtime.getRuntime().halt(1); // not System.exit: the shutdown hook has nothing left to do
        }
    }

    private static void run(String[] argv) throws Exception {
        Map<String, String> args = parseArgs(argv);
        Path dataDir = Path.of(required(args, "--data-dir")).toAbsolutePath().normalize();
        envFile = Path.of(required(args, "--env-file")).toAbsolutePath().normalize();
        int port = Integer.parseInt(args.getOrDefault("--port", "0"));
        long pageCache = parseBytes(args.getOrDefault("--page-cache", "256m"));

        Files.createDirectories(dataDir);
        logFile = dataDir.resolve("launcher.log");
        OutputStream logOut = Files.newOutputStream(logFile, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        log = new PrintStream(logOut, true, StandardCharsets.UTF_8);
        setOwnerOnly(logFile);
        Files.deleteIfExists(envFile);
        Instant started = Instant.now();
        log("starting Neo4j " + neo4jVersion() + " in " + dataDir + " (java " + Runtime.version() + ", max heap "
                + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB, page cache " + pageCache / (1024 * 1024)
                + " MiB)");

        String password = newPassword();
        Map<org.neo4j.graphdb.config.Setting<?>, Object> settings = new HashMap<>();
        settings.put(GraphDatabaseSettings.auth_enabled, true);
        settings.put(GraphDatabaseSettings.pagecache_memory, pageCache);
        settings.put(GraphDatabaseSettings.logs_directory, dataDir.resolve("logs"));
        settings.put(BoltConnector.enabled, true);
        settings.put(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port));
        settings.put(BoltConnector.advertised_address, new SocketAddress("127.0.0.1", port));
        settings.put(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED);
        settings.put(HttpConnector.enabled, false);
        settings.put(GraphDatabaseSettings.udc_enabled, false); // no usage reports (no internet here anyway)
        // Netty's graceful shutdown waits 5 s twice by default; a test server has no clients left to wait for.
        settings.put(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ofSeconds(1));
        settings.put(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ofSeconds(1));

        Config config = Config.newBuilder().set(GraphDatabaseSettings.neo4j_home, dataDir).set(settings).build();
        Path systemStore = config.get(GraphDatabaseSettings.data_directory).resolve("databases").resolve("system");
        boolean fresh = !Files.exists(systemStore);
        if (fresh) {
            writeInitialPassword(config, password);
        }

        service = new DatabaseManagementServiceBuilder(dataDir)
                .setConfig(settings)
                .setUserLogProvider(new Log4jLogProvider(logOut))
                .build();
        Runtime.getRuntime().addShutdownHook(new Thread(Launcher::shutdown, "neo4j-shutdown"));

        GraphDatabaseAPI system = (GraphDatabaseAPI) service.database("system");
        if (!fresh) {
            // A data directory from an earlier run: its password is unknown, so set a new one through the system
            // database (the embedded API runs with full rights; Bolt's clients do not have the new one yet).
            system.executeTransactionally("ALTER USER " + USER + " SET PASSWORD $password CHANGE NOT REQUIRED",
                    Map.of("password", password));
            log("reset the password of " + USER + " on an existing data directory");
        }
        int boltPort = system.getDependencyResolver().resolveDependency(ConnectorPortRegister.class)
                .getLocalAddress(ConnectorType.BOLT).getPort();
        String uri = "bolt://127.0.0.1:" + boltPort;
        checkBolt(uri, password);

        writeEnvFile(uri, password);
        log("ready in " + Duration.between(started, Instant.now()).toMillis() + " ms: " + uri + " (user " + USER
                + ", authentication on); env file " + envFile);

        String parent = args.get("--parent-pid");
        if (parent != null) {
            ProcessHandle.of(Long.parseLong(parent)).ifPresentOrElse(
                    p -> p.onExit().thenRun(() -> {
                        log("parent process " + parent + " exited; stopping");
                        System.exit(0);
                    }),
                    () -> {
                        log("parent process " + parent + " is gone; stopping");
                        System.exit(0);
                    });
        }
        new CountDownLatch(1).await(); // until a signal runs the shutdown hook
    }

    /** What `neo4j-admin dbms set-initial-password` does: an initial-user file the system database reads once. */
    private static void writeInitialPassword(Config config, String password) throws Exception {
        Path authFile = CommunitySecurityModule.getInitialUserRepositoryFile(config);
        Files.createDirectories(authFile.getParent());
        Files.deleteIfExists(authFile);
        var fs = new DefaultFileSystemAbstraction();
        var users = new FileUserRepository(fs, authFile, NullLogProvider.getInstance(), EmptyMemoryTracker.INSTANCE);
        users.start();
        var credential = SystemGraphCredential.createCredentialForPassword(
                password.getBytes(StandardCharsets.UTF_8), new SecureHasher());
        users.create(new User(USER, null, credential, false, false));
        users.shutdown();
        setOwnerOnly(authFile);
        log("initial password of " + USER + " written to " + authFile);
    }

    /** An authenticated round trip over Bolt, so that the env file is written only for a server that answers. */
    private static void checkBolt(String uri, String password) {
        try (var driver = GraphDatabase.driver(uri, AuthTokens.basic(USER, password));
                var session = driver.session()) {
            long one = session.run("RETURN 1 AS one").single().get("one").asLong();
            if (one != 1) {
                throw new IllegalStateException("RETURN 1 over Bolt gave " + one);
            }
        }
    }

    private static void writeEnvFile(String uri, String password) throws IOException {
        Files.createDirectories(envFile.getParent());
        Path tmp = envFile.resolveSibling(envFile.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        String text = "NEO4J_URI=" + uri + "\nNEO4J_USERNAME=" + USER + "\nNEO4J_PASSWORD=" + password + "\n";
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, envFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static synchronized void shutdown() {
        try {
            if (envFile != null) {
                Files.deleteIfExists(envFile);
            }
        } catch (IOException e) {
            log("could not remove " + envFile + ": " + e);
        }
        DatabaseManagementService s = service;
        service = null;
        if (s != null) {
            log("shutting down");
            try {
                s.shutdown();
                log("stopped");
            } catch (RuntimeException e) {
                log("shutdown failed: " + e);
                e.printStackTrace(log);
            }
        }
    }

    /** 32 characters from [A-Za-z0-9_-]: nothing a shell or an env file needs to quote. */
    private static String newPassword() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String neo4jVersion() {
        Package p = DatabaseManagementService.class.getPackage();
        String v = p == null ? null : p.getImplementationVersion();
        return v == null ? "(version unknown)" : v;
    }

    private static Map<String, String> parseArgs(String[] argv) {
        Map<String, String> args = new HashMap<>();
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            if (!a.startsWith("--") || i + 1 >= argv.length) {
                throw new IllegalArgumentException("usage: Launcher --data-dir DIR --env-file FILE [--port N]"
                        + " [--page-cache SIZE] [--parent-pid PID] (bad argument: " + a + ")");
            }
            args.put(a, argv[++i]);
        }
        return args;
    }

    private static String required(Map<String, String> args, String name) {
        String v = args.get(name);
        if (v == null) {
            throw new IllegalArgumentException("usage: Launcher --data-dir DIR --env-file FILE [--port N]"
                    + " [--page-cache SIZE] [--parent-pid PID] (missing " + name + ")");
        }
        return v;
    }

    private static long parseBytes(String s) {
        String t = s.trim().toLowerCase();
        long unit = 1;
        if (t.endsWith("k")) {
            unit = 1024L;
        } else if (t.endsWith("m")) {
            unit = 1024L * 1024;
        } else if (t.endsWith("g")) {
            unit = 1024L * 1024 * 1024;
        }
        if (unit != 1) {
            t = t.substring(0, t.length() - 1);
        }
        return Long.parseLong(t) * unit;
    }

    private static void setOwnerOnly(Path p) throws IOException {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage();
        String text = e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
        return text.replaceAll("\\s+", " ").trim();
    }

    private static void log(String message) {
        log.println(Instant.now() + " " + message);
    }
}
