package dev.tpcbridge.samples;

import dev.tpcbridge.coroutines.RingChannel;
import dev.tpcbridge.ring.SpscRing;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The public API of each published artifact, dumped and compared with the file checked in under {@code api/}, so that
 * a change to it is a visible diff in review, never an accident. Every public or protected class, constructor, method
 * and field of the artifact's classes, as the JVM sees them (generic signatures, modifiers), but the internal
 * package, synthetic members and Kotlin's {@code internal} ones (their names carry a {@code $}).
 *
 * <p>When the change is meant: {@code ./mvnw -pl samples -am test -Dtest=ApiDumpTest -Dapi.update=true
 * -Dsurefire.failIfNoSpecifiedTests=false} rewrites the files; commit them with the change.
 */
class ApiDumpTest {
    private static final Path API = Path.of("..", "api");

    @Test
    void theJavaApiIsTheCheckedInOne() throws Exception {
        check("tpcbridge-java", SpscRing.class);
    }

    @Test
    void theKotlinApiIsTheCheckedInOne() throws Exception {
        check("tpcbridge-coroutines", RingChannel.class);
    }

    @Test
    void theMicrometerApiIsTheCheckedInOne() throws Exception {
        check("tpcbridge-micrometer", dev.tpcbridge.micrometer.TpcBridgeMetrics.class);
    }

    private static void check(String artifact, Class<?> anchor) throws Exception {
        List<String> dump = dump(anchor);
        Path file = API.resolve(artifact + ".api");
        if (Boolean.getBoolean("api.update")) {
            Files.createDirectories(API);
            Files.write(file, dump, StandardCharsets.UTF_8);
            return;
        }
        List<String> checkedIn = Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
        if (!checkedIn.equals(dump)) {
            TreeSet<String> added = new TreeSet<>(dump);
            added.removeAll(checkedIn);
            TreeSet<String> removed = new TreeSet<>(checkedIn);
            removed.removeAll(dump);
            StringBuilder diff = new StringBuilder();
            removed.forEach(line -> diff.append("\n- ").append(line.strip()));
            added.forEach(line -> diff.append("\n+ ").append(line.strip()));
            fail("the public API of " + artifact + " differs from " + file + " (rewrite it with -Dapi.update=true "
                + "if the change is meant, and commit it):" + diff);
        }
    }

    /** The API of the classes that sit beside {@code anchor} (its jar or classes folder), one line per member. */
    private static List<String> dump(Class<?> anchor) throws IOException, URISyntaxException, ClassNotFoundException {
        Path root = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
        TreeSet<String> names = new TreeSet<>();
        if (Files.isDirectory(root)) {
            try (Stream<Path> files = Files.walk(root)) {
                files.map(root::relativize).map(Path::toString).filter(f -> f.endsWith(".class"))
                    .forEach(f -> names.add(f.replace(java.io.File.separatorChar, '/')));
            }
        } else {
            try (JarFile jar = new JarFile(root.toFile())) {
                for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements(); ) {
                    String name = entries.nextElement().getName();
                    if (name.endsWith(".class")) {
                        names.add(name);
                    }
                }
            }
        }
        List<String> lines = new ArrayList<>();
        ClassLoader loader = anchor.getClassLoader();
        for (String name : names) {
            if (name.equals("module-info.class") || name.contains("/internal/")) {
                continue;
            }
            Class<?> type = Class.forName(name.substring(0, name.length() - 6).replace('/', '.'), false, loader);
            if (!isApi(type)) {
                continue;
            }
            lines.add(type.toGenericString());
            TreeSet<String> members = new TreeSet<>();
            for (Constructor<?> constructor : type.getDeclaredConstructors()) {
                if (isApi(constructor)) {
                    members.add(constructor.toGenericString());
                }
            }
            for (Method method : type.getDeclaredMethods()) {
                if (isApi(method) && !method.isBridge()) {
                    members.add(method.toGenericString());
                }
            }
            for (Field field : type.getDeclaredFields()) {
                if (isApi(field)) {
                    members.add(field.toGenericString());
                }
            }
            members.forEach(member -> lines.add("    " + member));
        }
        return lines;
    }

    /** A public or protected type reachable from outside: it and every type enclosing it. */
    private static boolean isApi(Class<?> type) {
        for (Class<?> t = type; t != null; t = t.getEnclosingClass()) {
            if (t.isSynthetic() || t.isAnonymousClass() || t.isLocalClass()
                || !(Modifier.isPublic(t.getModifiers()) || Modifier.isProtected(t.getModifiers()))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isApi(Member member) {
        int modifiers = member.getModifiers();
        return (Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers)) && !member.isSynthetic()
            && !member.getName().contains("$");
    }
}
