package ai.smallest.atoms.operator.packaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LoadState;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.compiler.LuaC;
import org.luaj.vm2.lib.PackageLib;
import org.luaj.vm2.lib.TableLib;
import org.luaj.vm2.lib.VarArgFunction;
import org.luaj.vm2.lib.jse.JseBaseLib;

/**
 * Runs health and action scripts the way Argo CD's Lua VM does ({@code util/lua/lua.go}): the
 * object as the global {@code obj}; only the package, base and table libraries and Argo CD's "safe"
 * os library ({@code os.time} and {@code os.date}, also reachable through {@code require("os")});
 * an action's returned table turned back into JSON, where an empty table becomes an object if the
 * input had an object there ({@code cleanReturnedObj}). LuaJ implements Lua 5.2 where Argo CD's
 * gopher-lua implements 5.1: scripts must stay in the common subset (no goto, no bit32).
 */
final class ArgoCdLua {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  /** Argo CD's os.date flags (oslib_safe.go, cDateFlagToGo), as java.time patterns. */
  private static final Map<Character, String> DATE_FLAGS =
      Map.ofEntries(
          Map.entry('a', "EEE"),
          Map.entry('A', "EEEE"),
          Map.entry('b', "MMM"),
          Map.entry('B', "MMMM"),
          Map.entry('d', "dd"),
          Map.entry('F', "yyyy-MM-dd"),
          Map.entry('H', "HH"),
          Map.entry('I', "hh"),
          Map.entry('m', "MM"),
          Map.entry('M', "mm"),
          Map.entry('p', "a"),
          Map.entry('S', "ss"),
          Map.entry('X', "HH:mm:ss"),
          Map.entry('y', "yy"),
          Map.entry('Y', "yyyy"),
          Map.entry('z', "xx"),
          Map.entry('Z', "zzz"));

  private final Clock clock;

  ArgoCdLua(Clock clock) {
    this.clock = clock;
  }

  /** Runs a script and returns what it returned. */
  LuaValue run(String script, JsonNode object) {
    Globals globals = new Globals();
    globals.load(new JseBaseLib());
    globals.load(new PackageLib());
    globals.load(new TableLib());
    LuaTable os = safeOs();
    globals.set("os", os);
    globals.get("package").get("loaded").set("os", os);
    LoadState.install(globals);
    LuaC.install(globals);
    globals.set("obj", lua(object));
    return globals.load(script, "script.lua").call();
  }

  /** A health script's verdict. */
  record Health(String status, String message) {}

  Health health(String script, JsonNode object) {
    LuaValue result = run(script, object);
    return new Health(result.get("status").tojstring(), result.get("message").tojstring());
  }

  /** A discovery script's actions: name to disabled. */
  Map<String, Boolean> discovery(String script, JsonNode object) {
    LuaValue result = run(script, object);
    java.util.TreeMap<String, Boolean> actions = new java.util.TreeMap<>();
    LuaValue key = LuaValue.NIL;
    while (true) {
      Varargs next = result.next(key);
      key = next.arg1();
      if (key.isnil()) {
        return actions;
      }
      LuaValue disabled = next.arg(2).get("disabled");
      actions.put(key.tojstring(), disabled.isboolean() && disabled.toboolean());
    }
  }

  /** An action script's result: the modified object (an old-style action, as all of ours are). */
  JsonNode action(String script, JsonNode object) {
    return json(run(script, object), object);
  }

  private LuaTable safeOs() {
    LuaTable os = new LuaTable();
    os.set(
        "time",
        new VarArgFunction() {
          @Override
          public Varargs invoke(Varargs args) {
            return LuaValue.valueOf(clock.instant().getEpochSecond());
          }
        });
    os.set(
        "date",
        new VarArgFunction() {
          @Override
          public Varargs invoke(Varargs args) {
            String format = args.narg() >= 1 ? args.checkjstring(1) : "%c";
            ZoneId zone = clock.getZone();
            if (format.startsWith("!")) {
              zone = ZoneOffset.UTC;
              format = format.substring(1);
            }
            return LuaValue.valueOf(
                strftime(ZonedDateTime.ofInstant(clock.instant(), zone), format));
          }
        });
    return os;
  }

  private static String strftime(ZonedDateTime time, String format) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < format.length(); i++) {
      char c = format.charAt(i);
      if (c != '%' || i + 1 == format.length()) {
        out.append(c);
        continue;
      }
      char flag = format.charAt(++i);
      String pattern = DATE_FLAGS.get(flag);
      if (pattern == null) {
        throw new IllegalArgumentException(
            "os.date flag %" + flag + " is not in Argo CD's safe os");
      }
      out.append(DateTimeFormatter.ofPattern(pattern, Locale.ROOT).format(time));
    }
    return out.toString();
  }

  static LuaValue lua(JsonNode node) {
    if (node.isObject()) {
      LuaTable table = new LuaTable();
      node.properties()
          .forEach(
              e -> {
                if (!e.getValue().isNull()) {
                  table.set(e.getKey(), lua(e.getValue()));
                }
              });
      return table;
    }
    if (node.isArray()) {
      LuaTable table = new LuaTable();
      for (int i = 0; i < node.size(); i++) {
        table.set(i + 1, lua(node.get(i)));
      }
      return table;
    }
    if (node.isBoolean()) {
      return LuaValue.valueOf(node.booleanValue());
    }
    if (node.isIntegralNumber()) {
      return LuaValue.valueOf(node.longValue());
    }
    if (node.isNumber()) {
      return LuaValue.valueOf(node.doubleValue());
    }
    return LuaValue.valueOf(node.asText());
  }

  /**
   * A Lua value as JSON: a table with keys 1..n is an array, any other table an object; an empty
   * table takes the shape the input had at the same place.
   */
  static JsonNode json(LuaValue value, JsonNode original) {
    if (value.istable()) {
      LuaTable table = value.checktable();
      int length = table.length();
      boolean empty = table.next(LuaValue.NIL).arg1().isnil();
      if (empty) {
        return original != null && original.isObject() ? JSON.objectNode() : JSON.arrayNode();
      }
      if (length > 0 && countKeys(table) == length) {
        ArrayNode array = JSON.arrayNode();
        for (int i = 1; i <= length; i++) {
          array.add(json(table.get(i), original == null ? null : original.get(i - 1)));
        }
        return array;
      }
      ObjectNode object = JSON.objectNode();
      LuaValue key = LuaValue.NIL;
      while (true) {
        Varargs next = table.next(key);
        key = next.arg1();
        if (key.isnil()) {
          return object;
        }
        String name = key.tojstring();
        object.set(name, json(next.arg(2), original == null ? null : original.get(name)));
      }
    }
    if (value.isboolean()) {
      return JSON.booleanNode(value.toboolean());
    }
    if (value.type() == LuaValue.TNUMBER) {
      double number = value.todouble();
      if (number != Math.rint(number) || Double.isInfinite(number)) {
        return JSON.numberNode(number);
      }
      // As a YAML or JSON parser reads it: int when it fits, else long.
      long integral = value.tolong();
      return integral == (int) integral
          ? JSON.numberNode((int) integral)
          : JSON.numberNode(integral);
    }
    if (value.isnil()) {
      return JSON.nullNode();
    }
    return JSON.textNode(value.tojstring());
  }

  private static int countKeys(LuaTable table) {
    int count = 0;
    LuaValue key = LuaValue.NIL;
    while (true) {
      key = table.next(key).arg1();
      if (key.isnil()) {
        return count;
      }
      count++;
    }
  }
}
