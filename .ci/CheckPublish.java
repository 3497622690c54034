import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Checks what {@code ./mvnw -Ppublish deploy} wrote into a file repository against what Maven Central requires, for
 * each published artifact, and that nothing else was published. Run by {@code .ci/check-publish}:
 * {@code java .ci/CheckPublish.java REPO VERSION}. Prints every problem found; exits 1 if there is one.
 */
public final class CheckPublish {
    /** Published artifacts and what each must carry: jars (main, sources, javadoc) or a POM only. */
    private static final Map<String, Boolean> PUBLISHED = Map.of(
        "tpcbridge-parent", false,
        "tpcbridge-bom", false,
        "tpcbridge-java", true,
        "tpcbridge-coroutines", true,
        "tpcbridge-micrometer", true);
    /** The POM elements Central requires; a module may inherit the last four from tpcbridge-parent. */
    private static final List<String> OWN = List.of("<name>", "<description>");
    private static final List<String> INHERITABLE = List.of("<url>", "<licenses>", "<developers>", "<scm>");

    private CheckPublish() {
    }

    public static void main(String[] args) throws IOException {
        Path group = Path.of(args[0], "dev", "tpcbridge");
        String version = args[1];
        List<String> problems = new ArrayList<>();
        Set<String> found;
        try (Stream<Path> dirs = Files.list(group)) {
            found = dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                .collect(Collectors.toCollection(TreeSet::new));
        }
        if (!found.equals(new TreeSet<>(PUBLISHED.keySet()))) {
            problems.add("published " + found + ", expected exactly " + new TreeSet<>(PUBLISHED.keySet()));
        }
        for (Map.Entry<String, Boolean> artifact : PUBLISHED.entrySet()) {
            Path dir = group.resolve(artifact.getKey()).resolve(version);
            if (!Files.isDirectory(dir)) {
                problems.add(artifact.getKey() + ": no " + version + " directory");
                continue;
            }
            check(artifact.getKey(), dir, artifact.getValue(), version, problems);
        }
        problems.forEach(p -> System.out.println("check-publish: " + p));
        System.out.println("check-publish: " + (problems.isEmpty() ? "ok, " : "FAILED, ") + found.size()
            + " artifacts in " + group);
        System.exit(problems.isEmpty() ? 0 : 1);
    }

    private static void check(String artifact, Path dir, boolean jars, String version, List<String> problems)
        throws IOException {
        List<String> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.map(p -> p.getFileName().toString())
                .filter(f -> !f.startsWith("maven-metadata") && !f.matches(".*\\.(md5|sha1|sha256|sha512)"))
                .sorted().collect(Collectors.toList());
        }
        String base = artifact + "-" + version.replace("-SNAPSHOT", "");
        List<String> kinds = jars ? List.of(".pom", ".jar", "-sources.jar", "-javadoc.jar") : List.of(".pom");
        if (files.size() != kinds.size()) {
            problems.add(artifact + ": files " + files + ", expected one each of " + kinds);
        }
        for (String kind : kinds) {
            List<String> matching = files.stream().filter(f -> f.startsWith(base) && f.endsWith(kind)
                && (kind.equals(".jar") ? !f.endsWith("-sources.jar") && !f.endsWith("-javadoc.jar") : true))
                .collect(Collectors.toList());
            if (matching.size() != 1) {
                problems.add(artifact + ": expected one " + kind + ", found " + matching);
                continue;
            }
            Path file = dir.resolve(matching.get(0));
            switch (kind) {
                case ".pom" -> checkPom(artifact, Files.readString(file), version, problems);
                case ".jar" -> checkJar(artifact, file, version, problems);
                case "-sources.jar" -> requireEntry(artifact, file, ".java", ".kt", problems);
                default -> requireEntry(artifact, file, "index.html", "index.html", problems);
            }
        }
    }

    private static void checkPom(String artifact, String pom, String version, List<String> problems) {
        boolean inherits = pom.contains("<artifactId>tpcbridge-parent</artifactId>") && !artifact.endsWith("-parent");
        for (String element : OWN) {
            if (!pom.contains(element)) {
                problems.add(artifact + ": its POM has no " + element);
            }
        }
        for (String element : INHERITABLE) {
            if (!inherits && !pom.contains(element)) {
                problems.add(artifact + ": its POM has no " + element + " and no parent to inherit it from");
            }
        }
        if (!pom.contains("<version>" + version + "</version>")) {
            problems.add(artifact + ": its POM does not carry version " + version);
        }
        if (artifact.equals("tpcbridge-bom") && pom.contains("<parent>")) {
            problems.add(artifact + ": a BOM with a parent hands its users the build's managed versions");
        }
    }

    private static void checkJar(String artifact, Path jar, String version, List<String> problems)
        throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            String implementation = file.getManifest() == null ? null
                : file.getManifest().getMainAttributes().getValue("Implementation-Version");
            if (!version.equals(implementation)) {
                problems.add(artifact + ": manifest Implementation-Version is " + implementation + ", not " + version);
            }
            if (file.stream().noneMatch(e -> e.getName().endsWith(".class"))) {
                problems.add(artifact + ": its jar holds no class");
            }
        }
    }

    private static void requireEntry(String artifact, Path jar, String suffix, String orSuffix, List<String> problems)
        throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            boolean found = file.stream().anyMatch(e -> e.getName().endsWith(suffix) || e.getName().endsWith(orSuffix));
            if (!found) {
                problems.add(artifact + ": " + jar.getFileName() + " holds no " + suffix + " entry");
            }
        }
    }
}
