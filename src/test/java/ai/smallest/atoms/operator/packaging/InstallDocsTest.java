package ai.smallest.atoms.operator.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every command and YAML block of docs/install.md, and of README.md's "Install" section, in order,
 * done the way it can be done without a cluster: Helm commands through the embedded Helm (same
 * release name, namespace, --set and -f), `kubectl apply -k` through the kustomize build, `kubectl
 * apply -f` by validating the file, and the commands that need a cluster (rollout status, wait,
 * create secret) checked against what the earlier commands installed: the Deployment, namespace,
 * Secret name and key they refer to exist. A command this test does not know fails it, so new
 * documentation gets a check too.
 */
class InstallDocsTest {

  private static final Pattern FENCE =
      Pattern.compile("(?m)^( *)```(\\w*)\\n(.*?)^\\1```", Pattern.DOTALL);

  /** What the commands so far have installed. */
  private final List<ObjectNode> installed = new ArrayList<>();

  /** Files the reader is told to write ("# file: NAME" blocks). */
  private final Map<String, String> files = new LinkedHashMap<>();

  private final List<String> checked = new ArrayList<>();
  private final List<Runnable> secretChecks = new ArrayList<>();
  private Path workDir;

  record Block(String language, String text) {}

  /** A page (or the part of one) whose commands a reader runs from top to bottom. */
  record Page(String name, String text, int minBlocks, int minCommands) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Page> pages() {
    return Stream.of(
        new Page(Repo.INSTALL_DOCS.toString(), Repo.read(Repo.INSTALL_DOCS), 10, 20),
        new Page(
            "README.md, section Install", section(Repo.read(Repo.README), "## Install"), 3, 8));
  }

  static List<Block> blocks(String page) {
    List<Block> blocks = new ArrayList<>();
    Matcher m = FENCE.matcher(page);
    while (m.find()) {
      String indent = m.group(1);
      String text =
          m.group(3)
              .lines()
              .map(l -> l.startsWith(indent) ? l.substring(indent.length()) : l.strip())
              .reduce("", (a, b) -> a + b + "\n");
      blocks.add(new Block(m.group(2), text));
    }
    return blocks;
  }

  /** From the heading to the next heading of the same level. */
  static String section(String text, String heading) {
    int start = text.indexOf(heading + "\n");
    assertThat(start).as("section '%s'", heading).isNotNegative();
    Matcher next = Pattern.compile("(?m)^## ").matcher(text);
    int end = next.find(start + 3) ? next.start() : text.length();
    return text.substring(start, end);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pages")
  void everyCommandAndManifestOfTheInstallDocsWorks(Page page, @TempDir Path tmp)
      throws IOException {
    workDir = tmp;
    List<Block> blocks = blocks(page.text());
    assertThat(blocks).as("code blocks in %s", page).hasSizeGreaterThanOrEqualTo(page.minBlocks());
    for (Block block : blocks) {
      switch (block.language()) {
        case "sh" ->
            block
                .text()
                .lines()
                .map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .forEach(this::command);
        case "yaml" -> yaml(block.text());
        default -> throw new AssertionError("code block without sh/yaml language: " + block.text());
      }
    }
    secretChecks.forEach(Runnable::run);
    assertThat(checked).as("commands checked").hasSizeGreaterThanOrEqualTo(page.minCommands());
  }

  private void command(String line) {
    checked.add(line);
    List<String> args = words(line);
    String namespace = option(args, "-n", "--namespace");
    if (args.get(0).equals("kubectl") && namespace != null) {
      int i = Math.max(args.indexOf("-n"), args.indexOf("--namespace"));
      args.remove(i + 1);
      args.remove(i);
    }
    String head = String.join(" ", args.subList(0, Math.min(2, args.size())));
    switch (head) {
      case "helm install", "helm upgrade" -> helm(line, args, namespace);
      case "kubectl create" -> kubectlCreate(line, args, namespace);
      case "kubectl apply" -> kubectlApply(line, args, namespace);
      case "kubectl rollout" -> {
        String deployment = args.get(args.indexOf("status") + 1).replaceFirst("^deployment/", "");
        assertThat(installed)
            .as(line)
            .anyMatch(o -> K8s.id(o).equals("Deployment " + namespace + "/" + deployment));
      }
      case "kubectl wait" -> {
        String release = args.get(args.indexOf("wait") + 1).replaceFirst("^agr/", "");
        assertThat(args).contains("--for=condition=Ready");
        assertThat(installed)
            .as(line)
            .anyMatch(o -> K8s.id(o).equals("AgentRelease " + namespace + "/" + release));
      }
      case "kubectl get" -> assertThat(args).as(line).contains("agr");
      case "kubectl label", "kubectl annotate" -> helmOwnership(line, args);
      case "kubectl patch" -> {
        Path patch = Path.of(option(args, "--patch-file"));
        ObjectNode configMap = Yaml.document(patch);
        assertThat(K8s.id(configMap))
            .isEqualTo("ConfigMap " + namespace + "/" + args.get(args.indexOf("configmap") + 1));
        assertThat(ManifestValidator.problems(configMap)).isEmpty();
      }
      case "./mvnw -B" ->
          assertThat(line).as("documented build").isEqualTo("./mvnw -B package -DskipTests");
      case "docker build", "docker push", "docker buildx" -> docker(line, args);
      default ->
          throw new AssertionError(Repo.INSTALL_DOCS + " command this test does not know: " + line);
    }
  }

  /**
   * Handing an existing CRD over to Helm: exactly the label and annotations Helm's ownership check
   * wants for the release the page installs.
   */
  private void helmOwnership(String line, List<String> args) {
    assertThat(args.subList(2, 4))
        .as(line)
        .containsExactly("crd", K8s.name(Yaml.document(Repo.CRD_FILE)));
    List<String> pairs =
        args.subList(4, args.size()).stream().filter(a -> !a.equals("--overwrite")).toList();
    if (args.get(1).equals("label")) {
      assertThat(pairs).as(line).containsExactly("app.kubernetes.io/managed-by=Helm");
    } else {
      assertThat(pairs)
          .as(line)
          .containsExactlyInAnyOrder(
              "meta.helm.sh/release-name=" + HelmChart.RELEASE,
              "meta.helm.sh/release-namespace=" + HelmChart.NAMESPACE);
    }
  }

  private void helm(String line, List<String> args, String namespace) {
    List<String> positional = new ArrayList<>();
    Map<String, Object> set = new LinkedHashMap<>();
    List<Path> valuesFiles = new ArrayList<>();
    for (int i = 2; i < args.size(); i++) {
      String a = args.get(i);
      switch (a) {
        case "--install" -> {}
        case "-n", "--namespace" -> i++;
        case "--set" -> {
          String word = args.get(++i);
          assertThat(word.contains("{") && !word.startsWith("'"))
              .as("%s: quote a {list} --set value, or the shell's brace expansion splits it", line)
              .isFalse();
          String[] kv = word.replaceAll("^'|'$", "").split("=", 2);
          Matcher list = Pattern.compile("^\\{(.*)}$").matcher(kv[1]);
          if (list.matches()) { // Helm's {a,b} list syntax, as indexed keys
            String[] items = list.group(1).split(",");
            for (int j = 0; j < items.length; j++) {
              set.put(kv[0] + "[" + j + "]", items[j]);
            }
          } else {
            set.put(kv[0], kv[1]);
          }
        }
        case "-f", "--values" -> valuesFiles.add(writtenFile(args.get(++i), line));
        default -> {
          assertThat(a).as("%s: unknown helm option", line).doesNotStartWith("-");
          positional.add(a);
        }
      }
    }
    assertThat(positional)
        .as(line)
        .containsExactly(HelmChart.RELEASE, Repo.CHART.toString().replace('\\', '/'));
    assertThat(namespace).as(line).isNotNull();
    List<ObjectNode> objects =
        Yaml.documents(HelmChart.templateText(positional.get(0), namespace, valuesFiles, set));
    assertThat(ManifestValidator.problems(objects)).as(line).isEmpty();
    install(objects);
  }

  private void kubectlCreate(String line, List<String> args, String namespace) {
    if (args.get(2).equals("namespace")) {
      installed.add(
          (ObjectNode)
              Yaml.tree(
                  "{apiVersion: v1, kind: Namespace, metadata: {name: " + args.get(3) + "}}"));
      return;
    }
    assertThat(args.subList(2, 4)).as(line).containsExactly("secret", "generic");
    String name = args.get(4);
    Matcher literal = Pattern.compile("--from-literal=([^=]+)=\"\\$ATOMS_API_KEY\"").matcher(line);
    assertThat(literal.find())
        .as("%s takes the key from $ATOMS_API_KEY, never inline", line)
        .isTrue();
    String key = literal.group(1);
    // Checked once the whole page has run: the Secret may be created before the operator.
    secretChecks.add(
        () ->
            assertThat(K8s.ofKind(installed, "Deployment"))
                .as("%s: no installed operator reads this Secret", line)
                .anySatisfy(
                    d -> {
                      Map<String, String> env = K8s.env(d);
                      String secretNamespace =
                          env.getOrDefault("ATOMS_DEFAULT_API_KEY_SECRET_NAMESPACE", "");
                      assertThat(
                              secretNamespace.startsWith("<from:")
                                  ? K8s.namespace(d)
                                  : secretNamespace)
                          .isEqualTo(namespace);
                      assertThat(env)
                          .containsEntry("ATOMS_DEFAULT_API_KEY_SECRET_NAME", name)
                          .containsEntry("ATOMS_DEFAULT_API_KEY_SECRET_KEY", key);
                    }));
  }

  private void kubectlApply(String line, List<String> args, String namespace) {
    String kustomization = option(args, "-k");
    if (kustomization != null) {
      List<ObjectNode> objects = KustomizeLite.build(Path.of(kustomization));
      assertThat(ManifestValidator.problems(objects)).as(line).isEmpty();
      install(objects);
      for (ObjectNode flux : K8s.ofKind(objects, "Kustomization")) {
        if (flux.at("/spec/sourceRef/name").asText().equals("atoms-operator")) {
          // kustomize-controller applies this repository's manifests: do the same.
          install(FluxManifestsTest.applied(flux));
        }
      }
      return;
    }
    Path file = Path.of(option(args, "-f"));
    assertThat(file).as(line).isRegularFile();
    List<ObjectNode> objects = new ArrayList<>();
    for (ObjectNode o : Yaml.documents(file)) {
      if (namespace != null
          && K8s.namespace(o).isEmpty()
          && !K8s.kind(o).equals("CustomResourceDefinition")) {
        ((ObjectNode) o.path("metadata")).put("namespace", namespace);
      }
      objects.add(o);
    }
    assertThat(ManifestValidator.problems(objects)).as(line).isEmpty();
    install(objects);
    for (ObjectNode app : K8s.ofKind(objects, "Application")) {
      JsonNode source = app.at("/spec/source");
      if (source
          .path("repoURL")
          .asText()
          .equals("https://github.com/smallest-ai/atoms-operator.git")) {
        // Argo CD renders the chart of this repository: do the same.
        assertThat(Path.of(source.path("path").asText())).isEqualTo(Repo.CHART);
        Path values =
            writtenFile(Yaml.MAPPER.valueToTree(source.at("/helm/valuesObject")), "valuesObject");
        install(
            Yaml.documents(
                HelmChart.templateText(
                    source.at("/helm/releaseName").asText(),
                    app.at("/spec/destination/namespace").asText(),
                    List.of(values),
                    Map.of())));
      }
    }
  }

  private void docker(String line, List<String> args) {
    String image = option(args, "-t");
    String dockerfile = Repo.read(Repo.DOCKERFILE);
    for (int i = 0; i < args.size(); i++) {
      if (args.get(i).equals("--build-arg")) {
        String[] kv = args.get(++i).split("=", 2);
        assertThat(dockerfile)
            .as("%s: the Dockerfile declares ARG %s", line, kv[0])
            .contains("\nARG " + kv[0] + "=");
        if (kv[0].equals("VERSION")) {
          assertThat(kv[1]).as(line).isEqualTo(Repo.releaseVersion());
        }
      }
    }
    if (line.startsWith("docker push ")) {
      image = args.get(2);
    } else {
      assertThat(Path.of(option(args, "-f"))).as(line).isEqualTo(Repo.DOCKERFILE);
      assertThat(args.get(args.size() - 1))
          .as("%s: build context is the repository root", line)
          .isEqualTo(".");
    }
    assertThat(image).as(line).isEqualTo(Repo.IMAGE_REPOSITORY + ":" + Repo.releaseVersion());
  }

  private void yaml(String text) {
    String first = text.lines().findFirst().orElse("");
    if (first.startsWith("# file: ")) {
      String name = first.substring("# file: ".length()).strip();
      files.put(name, text);
      if (name.equals("kustomization.yaml")) {
        overlay(Yaml.documents(text).get(0));
      } else {
        var schema =
            JsonSchemas.draft7(Yaml.tree(Repo.read(Repo.CHART.resolve("values.schema.json"))));
        assertThat(JsonSchemas.problems(schema, Yaml.tree(text))).as(name).isEmpty();
      }
    } else if (first.equals("# argo-cd chart values")) {
      JsonNode cm = Yaml.tree(text).at("/configs/cm");
      ObjectNode patch = Yaml.document(Repo.ARGOCD.resolve("argocd-cm-patch.yaml"));
      assertThat(cm.properties())
          .extracting(Map.Entry::getKey)
          .containsExactlyInAnyOrderElementsOf(() -> patch.path("data").fieldNames());
      String ignore =
          "resource.customizations.ignoreResourceUpdates.atoms.smallest.ai_AgentRelease";
      assertThat(cm.path(ignore)).isEqualTo(patch.path("data").path(ignore));
    } else {
      for (ObjectNode o : Yaml.documents(text)) {
        assertThat(ManifestValidator.problems(o)).isEmpty();
      }
    }
  }

  /**
   * A user's overlay of deploy/ at this release: it must name the image deploy/ uses, or `images:`
   * changes nothing.
   */
  private void overlay(ObjectNode kustomization) {
    List<String> resources = K8s.strings(kustomization.path("resources"));
    assertThat(resources)
        .containsExactly(
            "https://github.com/smallest-ai/atoms-operator//deploy?ref=v" + Repo.releaseVersion());
    String deployImage =
        K8s.container(K8s.one(KustomizeLite.build(Repo.DEPLOY), "Deployment"))
            .path("image")
            .asText();
    assertThat(kustomization.path("images"))
        .allSatisfy(i -> assertThat(deployImage).startsWith(i.path("name").asText() + ":"));
  }

  private void install(List<ObjectNode> objects) {
    installed.addAll(objects);
  }

  private Path writtenFile(String name, String line) {
    assertThat(files).as("%s: %s must be a '# file:' block above it", line, name).containsKey(name);
    return writtenFile(Yaml.tree(files.get(name)), name);
  }

  private Path writtenFile(JsonNode content, String name) {
    try {
      Path file = Files.createTempFile(workDir, "docs-", ".yaml");
      Files.writeString(file, Yaml.MAPPER.writeValueAsString(content));
      return file;
    } catch (IOException e) {
      throw new AssertionError(name, e);
    }
  }

  /** Shell words; quotes group, and are kept on the word so that checks can see them. */
  private static List<String> words(String line) {
    List<String> words = new ArrayList<>();
    Matcher m = Pattern.compile("(?:'[^']*'|\"[^\"]*\"|[^\\s'\"])+").matcher(line);
    while (m.find()) {
      if (!m.group().isEmpty()) {
        words.add(m.group());
      }
    }
    return words;
  }

  private static String option(List<String> args, String... names) {
    for (String name : names) {
      int i = args.indexOf(name);
      if (i >= 0 && i + 1 < args.size()) {
        return args.get(i + 1);
      }
    }
    return null;
  }
}
