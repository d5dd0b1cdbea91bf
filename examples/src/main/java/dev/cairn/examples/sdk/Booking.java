package dev.cairn.examples.sdk;

import dev.cairn.sdk.Cairn;
import dev.cairn.sdk.Task;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The seed's durability example: a task with side effects made idempotent by a request id that an
 * upstream task generates (and the store keeps), so a retried booking finds its ticket.
 */
public final class Booking {
  /** A ticket. */
  public record FlightTicket(String requestId, int number) {}

  /** A stand-in for a booking service that remembers tickets by request id. */
  public static final class Service {
    private static final Map<String, FlightTicket> TICKETS = new ConcurrentHashMap<>();
    private static final AtomicInteger BOOKED = new AtomicInteger();

    private Service() {}

    public static boolean hasTicket(String requestId) {
      return TICKETS.containsKey(requestId);
    }

    public static FlightTicket getTicket(String requestId) {
      return TICKETS.get(requestId);
    }

    public static FlightTicket bookFlight(String requestId) {
      FlightTicket ticket = new FlightTicket(requestId, BOOKED.incrementAndGet());
      TICKETS.put(requestId, ticket);
      return ticket;
    }

    /** How many tickets were booked in all. */
    public static int booked() {
      return BOOKED.get();
    }
  }

  private Booking() {}

  /** Unsafe: a crash after booking and before the checkpoint books a second ticket. */
  public static FlightTicket bookFlightUnsafe() {
    return Service.bookFlight(UUID.randomUUID().toString());
  }

  public static String generateId() {
    // Generate a unique idempotency token.
    return UUID.randomUUID().toString().replace("-", "");
  }

  public static FlightTicket bookFlightIdempotent(String requestId) {
    if (Service.hasTicket(requestId)) {
      // Retrieve the previously created ticket.
      return Service.getTicket(requestId);
    }
    return Service.bookFlight(requestId);
  }

  /** Safe: book_flight is written to be idempotent. */
  public static Task<FlightTicket> dag() {
    Task<String> requestId = Cairn.task(Booking::generateId).bind();
    return Cairn.task(Booking::bookFlightIdempotent).bind(requestId);
  }

  public static void main(String[] args) {
    System.out.println(Cairn.run(dag(), "booking"));
  }
}
