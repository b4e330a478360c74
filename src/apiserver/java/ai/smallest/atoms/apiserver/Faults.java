package ai.smallest.atoms.apiserver;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The fault rules in force, applied to every resource request before it is handled (admin,
 * discovery and OpenAPI requests are exempt). Rules are checked in the order they were added: the
 * latencies of all that fire add up, and the first that fires with a status answers the request.
 */
public final class Faults {

  /** A rule in force, with how often it fired. */
  public static final class Rule {
    private final long id;
    private final Fault fault;
    private final Random random;
    private final AtomicLong hits = new AtomicLong();
    private long left;

    private Rule(long id, Fault fault) {
      this.id = id;
      this.fault = fault;
      this.random = new Random(fault.seed());
      this.left = fault.times();
    }

    public long id() {
      return id;
    }

    public Fault fault() {
      return fault;
    }

    /** How many requests it has delayed or answered. */
    public long hits() {
      return hits.get();
    }

    /** Decides whether it fires for a request that matches (the random draw is per rule). */
    private synchronized boolean fire() {
      if (left == 0) {
        return false;
      }
      if (fault.ratio() < 1 && random.nextDouble() >= fault.ratio()) {
        return false;
      }
      if (left > 0) {
        left--;
      }
      hits.incrementAndGet();
      return true;
    }
  }

  /** What the rules decided for one request. */
  record Decision(Duration latency, Rule answeredBy) {
    static final Decision NONE = new Decision(Duration.ZERO, null);
  }

  private final List<Rule> rules = new CopyOnWriteArrayList<>();
  private final AtomicLong ids = new AtomicLong();

  /** Adds a rule; it applies from the next request on. */
  public Rule add(Fault fault) {
    Rule rule = new Rule(ids.incrementAndGet(), fault);
    rules.add(rule);
    return rule;
  }

  public boolean remove(long id) {
    return rules.removeIf(r -> r.id == id);
  }

  public void clear() {
    rules.clear();
  }

  public List<Rule> rules() {
    return List.copyOf(rules);
  }

  Decision decide(ApiRequest request) {
    if (rules.isEmpty()) {
      return Decision.NONE;
    }
    Duration latency = Duration.ZERO;
    Rule answeredBy = null;
    List<Rule> fired = new ArrayList<>();
    for (Rule rule : rules) {
      if (rule.fault.match().test(request)
          && (answeredBy == null || rule.fault.status() == 0)
          && rule.fire()) {
        fired.add(rule);
        latency = latency.plus(rule.fault.latency());
        if (answeredBy == null && rule.fault.status() != 0) {
          answeredBy = rule;
        }
      }
    }
    return fired.isEmpty() ? Decision.NONE : new Decision(latency, answeredBy);
  }
}
