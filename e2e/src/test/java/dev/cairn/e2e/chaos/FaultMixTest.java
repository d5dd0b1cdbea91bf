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
  void theStoreAndWriteFaultsAreNamedAsWrittenInTheMix() {
    FaultMix mix =
        FaultMix.parse(
            "kill=0.2,store-outage=0.2,s3-ambiguous=0.2,S3-Dropped=0.1,api-ambiguous=0.2,"
                + "api_dropped=0.1");
    assertThat(mix.has(Fault.STORE_OUTAGE)).isTrue();
    assertThat(mix.has(Fault.S3_DROPPED)).isTrue();
    assertThat(mix.has(Fault.API_DROPPED)).isTrue();
    assertThat(mix.has(Fault.ETCD)).isFalse();
    assertThat(mix)
        .hasToString(
            "kill=0.20,store-outage=0.20,s3-ambiguous=0.20,s3-dropped=0.10,api-ambiguous=0.20,"
                + "api-dropped=0.10");
    Map<Fault, Integer> counts = new EnumMap<>(Fault.class);
    Random random = new Random(17);
    for (int i = 0; i < 1000; i++) {
      counts.merge(mix.draw(random), 1, Integer::sum);
    }
    assertThat(counts)
        .containsOnlyKeys(
            Fault.KILL,
            Fault.STORE_OUTAGE,
            Fault.S3_AMBIGUOUS,
            Fault.S3_DROPPED,
            Fault.API_AMBIGUOUS,
            Fault.API_DROPPED);
    assertThat(FaultMix.parse("kill=0.5,node-lost=0.5").has(Fault.NODE_LOST)).isTrue();
    assertThatThrownBy(() -> FaultMix.parse("kill=1,s3-outage=1"))
        .hasMessageContaining("unknown fault 's3-outage'")
        .hasMessageContaining("store-outage")
        .hasMessageContaining("api-dropped");
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
