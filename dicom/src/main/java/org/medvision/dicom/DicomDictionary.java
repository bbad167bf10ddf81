package org.medvision.dicom;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Our data dictionary of standard attributes (tag, VR, VM, keyword), loaded from the {@code dictionary.txt} resource
 * written for this project. The reader uses it to find the VR of elements in implicit VR syntaxes; dumps use it for
 * names. Tags it does not know read as {@link VR#UN} with an empty keyword.
 */
public final class DicomDictionary {
  private static final String RESOURCE = "dictionary.txt";

  private final Map<Integer, Entry> byTag;
  private final Map<String, Entry> byKeyword;

  /**
   * One attribute of the dictionary.
   *
   * @param tag the tag (for curves and overlays, the one in group 5000 or 6000)
   * @param vrs the allowed VRs, the usual one first (several for e.g. Pixel Data, OB or OW)
   * @param vm the value multiplicity as the standard writes it ({@code 1}, {@code 1-n}, {@code 2-2n})
   * @param keyword the standard keyword, e.g. {@code PatientName}
   */
  public record Entry(int tag, List<VR> vrs, String vm, String keyword) {
    /** Copies the VR list so the entry stays immutable. */
    public Entry {
      vrs = List.copyOf(vrs);
    }

    /** The VR an implicit VR reader assumes: the first allowed one, UN for the delimitation items. */
    public VR vr() {
      return vrs.isEmpty() ? VR.UN : vrs.get(0);
    }
  }

  private DicomDictionary(Map<Integer, Entry> byTag) {
    this.byTag = byTag;
    Map<String, Entry> keywords = new HashMap<>();
    for (Entry entry : byTag.values()) {
      keywords.put(entry.keyword(), entry);
    }
    this.byKeyword = keywords;
  }

  /** The standard dictionary, loaded once from the class path. */
  public static DicomDictionary standard() {
    return Holder.STANDARD;
  }

  /** The entry for a tag, after mapping repeating curve/overlay groups to their first group. */
  public Optional<Entry> entry(int tag) {
    return Optional.ofNullable(byTag.get(canonical(tag)));
  }

  /** The entry for a keyword such as {@code PatientName}. */
  public Optional<Entry> entry(String keyword) {
    return Optional.ofNullable(byKeyword.get(keyword));
  }

  /** The tag of a keyword, if the dictionary has it. */
  public OptionalInt tagOf(String keyword) {
    Entry entry = byKeyword.get(keyword);
    return entry == null ? OptionalInt.empty() : OptionalInt.of(entry.tag());
  }

  /**
   * The VR to assume for a tag whose encoding does not carry one: the dictionary VR, UL for group lengths, LO for
   * private creators and UN for anything unknown (including private data elements).
   */
  public VR vrOf(int tag) {
    if (Tag.isGroupLength(tag) && !Tag.isDelimiter(tag)) {
      return VR.UL;
    }
    if (Tag.isPrivateCreator(tag)) {
      return VR.LO;
    }
    Entry entry = byTag.get(canonical(tag));
    return entry == null ? VR.UN : entry.vr();
  }

  /**
   * The keyword of a tag for messages and dumps: the dictionary keyword, {@code GroupLength}, {@code PrivateCreator},
   * or an empty string for unknown and private data elements.
   */
  public String keyword(int tag) {
    Entry entry = byTag.get(canonical(tag));
    if (entry != null) {
      return entry.keyword();
    }
    if (Tag.isGroupLength(tag)) {
      return "GroupLength";
    }
    if (Tag.isPrivateCreator(tag)) {
      return "PrivateCreator";
    }
    return "";
  }

  /** Every entry, in no particular order. */
  public Collection<Entry> entries() {
    return Collections.unmodifiableCollection(byTag.values());
  }

  private static int canonical(int tag) {
    int group = Tag.group(tag);
    if ((group & 0xFF01) == 0x5000 || (group & 0xFF01) == 0x6000) {
      return tag & 0xFF00FFFF;
    }
    return tag;
  }

  private static DicomDictionary load() {
    Map<Integer, Entry> entries = new HashMap<>();
    try (InputStream in = DicomDictionary.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new DicomException("the DICOM dictionary resource " + RESOURCE + " is missing from the class path");
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
      String line;
      int number = 0;
      while ((line = reader.readLine()) != null) {
        number++;
        line = line.strip();
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        Entry entry = parse(line, number);
        entries.put(entry.tag(), entry);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the DICOM dictionary resource " + RESOURCE, e);
    }
    return new DicomDictionary(entries);
  }

  private static Entry parse(String line, int number) {
    String[] fields = line.split("\\s+");
    if (fields.length != 4) {
      throw new DicomException(RESOURCE + " line " + number + ": expected 'tag VR VM keyword', got '" + line + "'");
    }
    int tag = Tag.parse(fields[0]);
    List<VR> vrs = new ArrayList<>();
    if (!fields[1].equals("NONE")) {
      for (String code : fields[1].split("\\|")) {
        vrs.add(VR.of(code).orElseThrow(
            () -> new DicomException(RESOURCE + " line " + number + ": unknown VR in '" + line + "'")));
      }
    }
    return new Entry(tag, vrs, fields[2], fields[3]);
  }

  private static final class Holder {
    static final DicomDictionary STANDARD = load();
  }
}
