package dev.cairn.examples.sdk;

import dev.cairn.sdk.Cairn;
import dev.cairn.sdk.Dynamic;
import dev.cairn.sdk.Task;
import java.util.List;

/**
 * The seed's trip booking: book_trip continues with two flight bookings and a hotel booking in
 * parallel, then finalize_or_cancel, whose receipt is the workflow's output.
 */
public final class BookTrip {
  public record Flight(String origin, String destination, String date) {}

  public record Hotel(String city, List<String> dates) {}

  public record Receipt(List<Flight> flights, List<Hotel> hotels, boolean confirmed) {}

  private BookTrip() {}

  public static Flight bookFlight(String origin, String destination, String date) {
    return new Flight(origin, destination, date);
  }

  public static Hotel bookHotel(String city, List<String> dates) {
    return new Hotel(city, dates);
  }

  public static Receipt finalizeOrCancel(List<Flight> flights, List<Hotel> hotels) {
    return new Receipt(flights, hotels, flights.size() == 2 && hotels.size() == 1);
  }

  public static Dynamic<Receipt> bookTrip(String origin, String destination, List<String> dates) {
    // The engine starts these child tasks only once book_trip has returned (and is checkpointed).
    Task<Flight> f1 = Cairn.task(BookTrip::bookFlight).bind(origin, destination, dates.get(0));
    Task<Flight> f2 = Cairn.task(BookTrip::bookFlight).bind(destination, origin, dates.get(1));
    Task<Hotel> hotel = Cairn.task(BookTrip::bookHotel).bind(destination, dates);
    return Cairn.continuation(
        Cairn.task(BookTrip::finalizeOrCancel).bind(Cairn.list(f1, f2), Cairn.list(hotel)));
  }

  public static Task<Receipt> dag() {
    return Cairn.dynamic(BookTrip::bookTrip).bind("OAK", "SAN", List.of("6/12", "7/5"));
  }

  public static void main(String[] args) {
    Receipt receipt = Cairn.run(dag());
    System.out.println(receipt);
  }
}
