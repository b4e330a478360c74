package ai.smallest.atoms.simulator;

import java.util.EnumSet;
import java.util.Set;

/**
 * Every way the simulator can misbehave beyond plain error statuses and delays: answers a client
 * must check before it believes them, the contract's error statuses with realistic bodies, and
 * Retry-After headers of every shape. Inject one with {@link Fault#hostile(HostileAnswer)} (per
 * endpoint, optionally per agent); enumerate them with {@link #values()} or {@link
 * #applicableTo(Endpoint)}, e.g. for a chaos suite.
 *
 * <p>Kinds that lie about data ({@code TOTAL_*}, {@code IGNORE_SKIP}, {@code ACTIVATE_*}) answer
 * from the real store, so the lie is the only thing wrong; if the agent or version does not exist,
 * they answer as the API would (404). None of them changes the store, except {@link
 * #ARCHIVE_BETWEEN_PAGES}, which archives a version after answering.
 */
public enum HostileAnswer {

  // ---- 2xx answers that are not the documented envelope ---------------------------------------
  /** 200 with an HTML page, as a proxy or a maintenance page would. */
  NOT_JSON(Applies.BOTH, "200 with an HTML page"),
  /** 200 with an empty body. */
  EMPTY_BODY(Applies.BOTH, "200 with an empty body"),
  /** 200 with the real answer cut off in the middle. */
  TRUNCATED_JSON(Applies.BOTH, "200 with the JSON cut off halfway"),
  /** 200 with the real answer followed by more JSON. */
  TRAILING_GARBAGE(Applies.BOTH, "200 with the real answer followed by garbage"),
  /** 200 with {@code {"status": false, "data": ...}}. */
  STATUS_FALSE(Applies.BOTH, "200 whose envelope says status:false"),
  /** 200 with {@code {"status": true}} and no {@code data}. */
  NO_DATA(Applies.BOTH, "200 without data"),
  /** 200 whose versions lack {@code _id}. */
  MISSING_ID(Applies.BOTH, "200 with versions without _id"),
  /** 200 whose versions lack {@code isActive}. */
  MISSING_IS_ACTIVE(Applies.BOTH, "200 with versions without isActive"),
  /** 200 whose versions carry {@code versionNumber} and {@code isActive} as strings. */
  WRONG_TYPES(Applies.BOTH, "200 with versionNumber and isActive as strings"),
  /** 200 whose versions carry an {@code _id} that is a path ({@code ../../admin}). */
  UNSAFE_ID(Applies.BOTH, "200 with an _id that is a path"),
  /** 200 with a valid answer after 2 MiB of whitespace, without Content-Length. */
  OVERSIZED(Applies.BOTH, "200 with a 2 MiB body"),
  /** 200 whose body arrives one byte per trickle interval (default 1 s) until the client leaves. */
  TRICKLE(Applies.BOTH, "200 whose body trickles one byte a second"),
  /** 302 to another host: a client must not follow it with its API key. */
  REDIRECT(Applies.BOTH, "302 to another host"),

  // ---- list answers that lie ----------------------------------------------------------------
  /** {@code data.versions} is an object. */
  VERSIONS_NOT_ARRAY(Applies.LIST, "200 whose data.versions is not an array"),
  /** Every version on the page says {@code isActive: true}. */
  ALL_ACTIVE(Applies.LIST, "200 with every listed version active"),
  /** The page lists its first version twice. */
  DUPLICATE_VERSION(Applies.LIST, "200 with one version listed twice"),
  /** The page's versions name another agent. */
  OTHER_AGENT(Applies.LIST, "200 with versions of another agent"),
  /** The page is right, {@code total} is 1,000 higher. */
  TOTAL_TOO_HIGH(Applies.LIST, "total 1,000 higher than the truth"),
  /** Every page claims to be the last: {@code total} is skip plus the versions on the page. */
  TOTAL_TOO_LOW(Applies.LIST, "total says every page is the last"),
  /** Whatever {@code skip} says, the first page. */
  IGNORE_SKIP(Applies.LIST, "skip ignored: always the first page"),
  /** The page before the one asked for (the first page for skip below limit). */
  REPEAT_PAGE(Applies.LIST, "the previous page again"),
  /** Half the versions asked for, with the true total. */
  SHRINK_PAGE(Applies.LIST, "half a page, true total"),
  /** The {@code isPinned} filter is ignored. */
  IGNORE_PIN_FILTER(Applies.LIST, "isPinned filter ignored"),
  /** Answers truthfully, then archives the newest published version that is not active. */
  ARCHIVE_BETWEEN_PAGES(Applies.LIST, "a version archived right after this page"),

  // ---- activate answers that lie ------------------------------------------------------------
  /** 200 naming the live version (or another one) instead; nothing is activated. */
  ACTIVATE_OTHER_VERSION(Applies.ACTIVATE, "200 naming another version; nothing activated"),
  /** 200 naming the requested version with {@code isActive: false}; nothing is activated. */
  ACTIVATE_NOT_ACTIVE(Applies.ACTIVATE, "200 with isActive:false; nothing activated"),
  /** 200 naming the requested version of another agent; nothing is activated. */
  ACTIVATE_OTHER_AGENT(Applies.ACTIVATE, "200 naming another agent; nothing activated"),

  // ---- the contract's error statuses, with realistic bodies ---------------------------------
  /** 400 "Only published versions can be activated". */
  BAD_REQUEST_NOT_PUBLISHED(Applies.ACTIVATE, "400: only published versions can be activated"),
  /** 400 about the input itself. */
  BAD_REQUEST_INVALID_INPUT(Applies.BOTH, "400: invalid input"),
  /** 400 with an HTML body, as a proxy would send. */
  BAD_REQUEST_HTML(Applies.BOTH, "400 with an HTML body"),
  /** 401 "Unauthorized". */
  UNAUTHORIZED(Applies.BOTH, "401: unauthorized"),
  /** 403 with the bare {@code {status:false, data:{}}} of the contract. */
  FORBIDDEN(Applies.BOTH, "403 without error texts"),
  /** 404 "Agent not found". */
  AGENT_NOT_FOUND(Applies.BOTH, "404: agent not found"),
  /** 404 "Version not found". */
  VERSION_NOT_FOUND(Applies.ACTIVATE, "404: version not found"),
  /** 404 "Agent or version not found". */
  AGENT_OR_VERSION_NOT_FOUND(Applies.ACTIVATE, "404: agent or version not found"),
  /** 409, another activation in progress. */
  CONFLICT(Applies.ACTIVATE, "409: conflict"),
  /** 413, request entity too large. */
  PAYLOAD_TOO_LARGE(Applies.ACTIVATE, "413: payload too large"),
  /** 415, unsupported media type. */
  UNSUPPORTED_MEDIA_TYPE(Applies.ACTIVATE, "415: unsupported media type"),
  /** 422, validation failed. */
  UNPROCESSABLE(Applies.ACTIVATE, "422: unprocessable entity"),
  /** 500 "Internal server error". */
  INTERNAL_ERROR(Applies.BOTH, "500: internal server error"),
  /** 502 with a proxy's HTML page. */
  BAD_GATEWAY_HTML(Applies.BOTH, "502 with an HTML page"),
  /** 500 whose errors array holds 1,000 texts of 10 KB each, echoing the API key. */
  ERROR_FLOOD(Applies.BOTH, "500 with 10 MB of error texts echoing the API key"),

  // ---- Retry-After of every shape -----------------------------------------------------------
  /** 429, Retry-After: 2 (seconds). */
  RETRY_AFTER_SECONDS(Applies.BOTH, "429, Retry-After in seconds"),
  /** 429, Retry-After as an HTTP date 30 s ahead of the simulator's clock. */
  RETRY_AFTER_HTTP_DATE(Applies.BOTH, "429, Retry-After as an HTTP date"),
  /** 429, Retry-After: -5. */
  RETRY_AFTER_NEGATIVE(Applies.BOTH, "429, negative Retry-After"),
  /** 429, Retry-After: soon. */
  RETRY_AFTER_GARBAGE(Applies.BOTH, "429, unreadable Retry-After"),
  /** 429, Retry-After: 99999999999999999999 (beyond any integer type). */
  RETRY_AFTER_OVERFLOWING(Applies.BOTH, "429, Retry-After beyond any integer"),
  /** 429, Retry-After: one year in seconds. */
  RETRY_AFTER_ONE_YEAR(Applies.BOTH, "429, Retry-After of a year"),
  /** 503, Retry-After as an HTTP date one year ahead. */
  UNAVAILABLE_RETRY_AFTER_ONE_YEAR(Applies.BOTH, "503, Retry-After an HTTP date a year ahead");

  private final Set<Endpoint> endpoints;
  private final String description;

  HostileAnswer(Applies applies, String description) {
    this.endpoints = applies.endpoints();
    this.description = description;
  }

  /** The endpoints this kind makes sense on. */
  public Set<Endpoint> endpoints() {
    return EnumSet.copyOf(endpoints);
  }

  public boolean appliesTo(Endpoint endpoint) {
    return endpoints.contains(endpoint);
  }

  /** A short human description, e.g. for reports. */
  public String description() {
    return description;
  }

  /** Every kind that makes sense on {@code endpoint}, in declaration order. */
  public static Set<HostileAnswer> applicableTo(Endpoint endpoint) {
    Set<HostileAnswer> kinds = EnumSet.noneOf(HostileAnswer.class);
    for (HostileAnswer kind : values()) {
      if (kind.appliesTo(endpoint)) {
        kinds.add(kind);
      }
    }
    return kinds;
  }

  private enum Applies {
    LIST,
    ACTIVATE,
    BOTH;

    Set<Endpoint> endpoints() {
      return switch (this) {
        case LIST -> EnumSet.of(Endpoint.LIST_VERSIONS);
        case ACTIVATE -> EnumSet.of(Endpoint.ACTIVATE_VERSION);
        case BOTH -> EnumSet.allOf(Endpoint.class);
      };
    }
  }
}
