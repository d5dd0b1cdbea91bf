package dev.cairn.e2e.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.e2e.chaos.FaultMix.Fault;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FaultMixTest {
  @Test
  void aSeedDrawsTheSameFaultsAndEachInItsShare() {
    FaultMix mix = FaultMix.parse("kill=2,stale-pod=1,etcd=1");
    List<Fault> first = new ArrayList<>();
    List<Fault> second = new ArrayList<>();
    Random a = new Random(7);
    Random b = new Random(7);
    Map<Fault, Integer> counts = new EnumMap<>(Fault.class);
    for (int i = 0; i < 4000; i++) {
      first.add(mix.draw(a));
      second.add(mix.draw(b));
      counts.merge(first.get(i), 1, Integer::sum);
    }
    assertThat(first).isEqualTo(second);
    assertThat(counts).containsOnlyKeys(Fault.KILL, Fault.STALE_POD, Fault.ETCD);
    assertThat(counts.get(Fault.KILL)).isBetween(1800, 2200);
    assertThat(counts.get(Fault.ETCD)).isBetween(850, 1150);
    assertThat(mix).hasToString("kill=0.50,stale-pod=0.25,etcd=0.25");
  }

  @Test
  void aMixThatCannotEndOrNamesNoFaultIsRefusedWithWhatIsWrong() {
    assertThatThrownBy(() -> FaultMix.parse("delete=1"))
        .hasMessageContaining("no kill or failover");
    assertThatThrownBy(() -> FaultMix.parse("kill=1,flood=1"))
        .hasMessageContaining("unknown fault 'flood'")
        .hasMessageContaining("stale-pod");
    assertThatThrownBy(() -> FaultMix.parse("kill"))
        .hasMessageContaining("'kill' is not name=share");
    assertThatThrownBy(() -> FaultMix.parse("kill=-1,etcd=2"))
        .hasMessageContaining("negative share");
  }
}
