package dev.cairn.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The seed's idempotent booking and its book_trip continuation. The "booking service" is a file of
 * booked request ids ($CAIRN_BOOKINGS, default a file in the temp directory), so a retried or
 * re-run booking can be seen not to book twice.
 */
public final class Booking {
  private Booking() {}

  public static String generateId() {
    return UUID.randomUUID().toString().replace("-", "");
  }

  /** Books at most once per request id: a retry returns the ticket booked before. */
  public static String bookFlightIdempotent(String requestId) {
    Path ledger = ledger();
    synchronized (Booking.class) {
      try {
        if (Files.exists(ledger) && Files.readAllLines(ledger).contains(requestId)) {
          return "ticket-" + requestId;
        }
        Files.writeString(
            ledger, requestId + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        return "ticket-" + requestId;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  public static Map<String, String> bookFlight(String origin, String dest, String date) {
    return Map.of("flight", origin + "->" + dest, "date", date);
  }

  public static Map<String, String> bookHotel(String city, List<String> dates) {
    return Map.of("hotel", city, "dates", String.join("..", dates));
  }

  /** Finalizes when every booking succeeded. */
  public static Map<String, Object> finalizeOrCancel(
      List<Map<String, String>> flights, List<Map<String, String>> hotels) {
    return Map.of("status", "confirmed", "flights", flights, "hotels", hotels);
  }

  /**
   * Books the trip as a continuation: the two flights and the hotel run in parallel, then
   * finalize_or_cancel, whose receipt becomes this task's value.
   */
  public static Object bookTrip(String origin, String dest, List<String> dates) {
    String booking = Booking.class.getName() + "#";
    return dev.cairn.core.task.Continuation.of(
        "finalize_or_cancel",
        dev.cairn.core.task.Continuation.task(
            "book_flight", booking + "bookFlight", origin, dest, dates.get(0)),
        dev.cairn.core.task.Continuation.task(
            "book_flight_1", booking + "bookFlight", dest, origin, dates.get(1)),
        dev.cairn.core.task.Continuation.task("book_hotel", booking + "bookHotel", dest, dates),
        dev.cairn.core.task.Continuation.task(
            "finalize_or_cancel",
            booking + "finalizeOrCancel",
            List.of(
                dev.cairn.core.task.Continuation.ref("book_flight"),
                dev.cairn.core.task.Continuation.ref("book_flight_1")),
            List.of(dev.cairn.core.task.Continuation.ref("book_hotel"))));
  }

  private static Path ledger() {
    String path = System.getenv("CAIRN_BOOKINGS");
    return path != null
        ? Path.of(path)
        : Path.of(System.getProperty("java.io.tmpdir"), "cairn-example-bookings.txt");
  }
}
