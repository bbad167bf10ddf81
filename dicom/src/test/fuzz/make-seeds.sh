#!/usr/bin/env bash
# Makes the DICOM fuzz seeds from synthetic pixel patterns written here (no third-party files): small images in
# several encodings, a data set with a sequence and a DICOMDIR, copied into the Inputs folders of the fuzz tests.
# Needs dcmtk and gdcm. Usage: dicom/src/test/fuzz/make-seeds.sh [RESOURCES_DIR, default dicom/src/test/resources]
set -euo pipefail
resources=$(realpath "${1:-$(dirname "$0")/../resources}"); work=$(mktemp -d); out=$work/seeds; mkdir -p "$out"; trap 'rm -rf "$work"' EXIT; cd "$work"

# A dump2dcm text file for a Secondary Capture image; the pixels are a gradient with a bright square.
image() { # name rows cols samples bits signed photometric
  python3 - "$@" <<'PY'
import sys
name, rows, cols, spp, bits, signed, photo = sys.argv[1], *map(int, sys.argv[2:7]), sys.argv[7]
vals = []
for r in range(rows):
    for c in range(cols):
        for s in range(spp):
            v = (r * 7 + c * 3 + s * 40) % 200 + (55 if 3 <= r < 7 and 3 <= c < 7 else 0)
            vals.append(v * (16 if bits == 16 else 1) - (1000 if signed else 0))
if bits == 8:
    pixels = "(7fe0,0010) OB " + "\\".join("%02x" % v for v in vals)
else:
    pixels = "(7fe0,0010) OW " + "\\".join("%04x" % (v & 0xFFFF) for v in vals)
print(f"""(0002,0002) UI =SecondaryCaptureImageStorage
(0002,0003) UI 2.25.1{rows}{cols}{spp}{bits}
(0008,0016) UI =SecondaryCaptureImageStorage
(0008,0018) UI 2.25.1{rows}{cols}{spp}{bits}
(0008,0060) CS [OT]
(0010,0010) PN [Fuzz^Seed]
(0010,0020) LO [FUZZ{bits}]
(0008,0020) DA [20240101]
(0008,0030) TM [120000]
(0020,0010) SH [1]
(0020,0011) IS [{bits}]
(0020,000d) UI 2.25.2
(0020,000e) UI 2.25.3
(0020,0013) IS [1]
(0028,0002) US {spp}
(0028,0004) CS [{photo}]
{"(0028,0006) US 0" if spp == 3 else ""}
(0028,0010) US {rows}
(0028,0011) US {cols}
(0028,0100) US {bits}
(0028,0101) US {12 if bits == 16 else 8}
(0028,0102) US {11 if bits == 16 else 7}
(0028,0103) US {signed}
(0028,1052) DS [-1024]
(0028,1053) DS [1]
{pixels}""")
PY
}
image mono8 16 16 1 8 0 MONOCHROME2 > mono8.dump
image mono16 12 12 1 16 1 MONOCHROME2 > mono16.dump
image rgb8 8 8 3 8 0 RGB > rgb8.dump
for n in mono8 mono16 rgb8; do dump2dcm +E -q +te "$n.dump" "$n.dcm"; done

cp mono8.dcm "$out/explicit-le-mono8.dcm"
dcmconv -q +ti mono16.dcm "$out/implicit-le-mono16.dcm"
dcmconv -q +tb rgb8.dcm "$out/explicit-be-rgb8.dcm"
dcmconv -q +td mono8.dcm "$out/deflated-mono8.dcm"
dcmcrle -q mono16.dcm "$out/rle-mono16.dcm"
dcmcrle -q rgb8.dcm "$out/rle-rgb8.dcm"
dcmcjpeg -q +eb mono8.dcm "$out/jpeg-baseline-mono8.dcm"
dcmcjpeg -q +eb rgb8.dcm "$out/jpeg-baseline-rgb8.dcm"
dcmcjpeg -q +e1 mono16.dcm "$out/jpeg-lossless-mono16.dcm"
dcmcjpeg -q +ee mono16.dcm "$out/jpeg-extended12-mono16.dcm"

dcmcjpls -q +el mono16.dcm "$out/jpegls-mono16.dcm"
dcmcjpls -q +en rgb8.dcm "$out/jpegls-near-rgb8.dcm"
gdcmconv --j2k mono16.dcm "$out/j2k-mono16.dcm"
gdcmconv --j2k mono8.dcm "$out/j2k-mono8.dcm"
# A raw data set: no preamble, no meta information, implicit VR little endian.
dcmconv -q +ti -F mono8.dcm "$out/raw-implicit-mono8.dcm"

# A data set with nested sequences and text of several VRs, undefined and defined lengths.
cat > sr.dump <<'DUMP'
(0002,0002) UI =BasicTextSRStorage
(0002,0003) UI 2.25.44
(0008,0005) CS [ISO_IR 100]
(0008,0016) UI =BasicTextSRStorage
(0008,0018) UI 2.25.44
(0008,0020) DA [20240101]
(0008,0030) TM [101010.5]
(0010,0010) PN [Fuzz^Seed^^Dr.]
(0010,1010) AS [042Y]
(0018,0050) DS [1.25]
(0020,0013) IS [7]
(0040,a730) SQ (Sequence with undefined length #=1)
(fffe,e000) na (Item with undefined length #=3)
(0040,a010) CS [CONTAINS]
(0040,a040) CS [TEXT]
(0040,a160) UT [a finding]
(fffe,e00d) na (ItemDelimitationItem)
(fffe,e0dd) na (SequenceDelimitationItem)
(0028,0030) DS [0.5\0.5]
(0028,1050) DS [40\400]
(0029,0010) LO [FUZZ PRIVATE]
(0029,1010) UN 01\02\03\04
(0018,9346) FD 1.5\2.5
(0018,1310) US 0\16\16\0
DUMP
dump2dcm +E -q +te sr.dump "$out/explicit-le-sequence.dcm"
dcmconv -q +te -F "$out/explicit-le-sequence.dcm" "$out/raw-explicit-le-sequence.dcm"

# A DICOMDIR over two of the images.
mkdir -p fs/IMG && cp mono8.dcm fs/IMG/A && cp mono16.dcm fs/IMG/B
(cd fs && dcmmkdir -q IMG/A IMG/B && cp DICOMDIR "$out/DICOMDIR")

# Codec seeds (CodecFuzzInput): three description bytes, then the first fragment of an encapsulated seed.
python3 - "$out" <<'PY'
import struct, sys, os
out = sys.argv[1]
def fragment(path):
    data = open(path, 'rb').read()
    at = data.index(b'\xe0\x7f\x10\x00OB\x00\x00\xff\xff\xff\xff') + 12
    tag, length = struct.unpack_from('<II', data, at)      # Basic Offset Table item
    at += 8 + length
    tag, length = struct.unpack_from('<II', data, at)      # first fragment
    return data[at + 8: at + 8 + length]
# rows-1, columns-1, flags (1 colour, 2 16-bit, 4 signed, 8 16 bits stored, 16 YBR_FULL_422)
described = {'mono8': bytes([15, 15, 0]), 'mono16': bytes([11, 11, 6]), 'rgb8': bytes([7, 7, 1])}
for name in sorted(os.listdir(out)):
    if not name.endswith('.dcm') or name.split('-')[0] not in ('rle', 'jpeg', 'jpegls', 'j2k'):
        continue
    image = name[:-4].split('-')[-1]
    prefix = described[image]
    if name.startswith('jpeg-baseline-rgb8'):
        prefix = bytes([7, 7, 17])
    open(os.path.join(out, 'codec-' + name[:-4]), 'wb').write(prefix + fragment(os.path.join(out, name)))
PY

inputs() { mkdir -p "$resources/org/medvision/dicom/$1"; echo "$resources/org/medvision/dicom/$1"; }
for f in "$out"/*.dcm; do
  n=$(basename "$f" .dcm)
  case $n in raw-*) cp "$f" "$(inputs DicomRawDataSetFuzzTestInputs/readRaw)/seed-$n" ;;
    *) cp "$f" "$(inputs DicomPart10FuzzTestInputs/readAndDecode)/seed-$n" ;; esac
done
cp "$out/DICOMDIR" "$(inputs DicomdirFuzzTestInputs/readDicomdir)/seed-dicomdir"
for f in "$out"/codec-*; do
  n=$(basename "$f"); n=${n#codec-}
  case $n in rle-*) t=RleFuzzTest ;; jpegls-*) t=JpegLsFuzzTest ;; jpeg-*) t=JpegFuzzTest ;; j2k-*) t=Jpeg2000FuzzTest ;; esac
  cp "$f" "$(inputs pixel/${t}Inputs/decodeFrame)/seed-$n"
done
find "$resources" -path '*FuzzTestInputs*' -name 'seed-*' | sort
