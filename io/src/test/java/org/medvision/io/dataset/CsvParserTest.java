package org.medvision.io.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Records parsed as they are asked for are the records parsed at once. */
class CsvParserTest {
  @Test
  void iteratingGivesTheRecordsParsingGivesWithTheirLines() {
    String text = "path,label\r\n\"a,b.png\",1\n\n  \nc.png ,\"say \"\"hi\"\"\nthere\"\nd.png\n";
    List<CsvParser.Record> all = CsvParser.parse(text, "m.csv");
    List<CsvParser.Record> iterated = new ArrayList<>();
    CsvParser.iterate(text, "m.csv").forEachRemaining(iterated::add);
    assertEquals(all, iterated);
    assertEquals(List.of("a,b.png", "1"), all.get(1).fields());
    assertEquals(List.of("c.png", "say \"hi\"\nthere"), all.get(2).fields());
    assertEquals(5, all.get(2).line());
    assertEquals(7, all.get(3).line());
  }

  @Test
  void aSyntaxErrorIsThrownWhenTheIterationReachesIt() {
    Iterator<CsvParser.Record> records = CsvParser.iterate("path\na.png\n\"never closed\n", "m.csv");
    assertEquals(List.of("path"), records.next().fields());
    DatasetException e = assertThrows(DatasetException.class, records::next);
    assertTrue(e.getMessage().contains("m.csv line 3"), e.getMessage());
    assertFalse(CsvParser.iterate("", "empty.csv").hasNext());
  }
}
