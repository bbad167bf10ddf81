package org.medvision.io.synth.cxr;

import java.util.SplittableRandom;

/**
 * The 14 ChestX-ray14 findings, in the data set's order, with the share of synthetic images that show each and how
 * each is drawn.
 *
 * <p>Shares keep the real set's order (Infiltration most common, Hernia rarest) but are pulled together, so that a
 * few hundred images hold enough examples of every finding to learn it: in the real set Hernia is on 0.2% of images,
 * here on about 3% (1.6% drawn, more where follow-ups keep it).
 */
public enum CxrFinding {
  /** Plate-like or wedge opacity with volume loss: elevated hemidiaphragm, mediastinum pulled toward it. */
  ATELECTASIS("Atelectasis", 0.10) {
    @Override
    void change(Thorax.Changes c, SplittableRandom rng) {
      Parenchyma.atelectasisVolumeLoss(c, rng);
    }

    @Override
    void paint(Scene scene, SplittableRandom rng) {
      Parenchyma.atelectasis(scene, rng);
    }
  },
  /** A heart wider than half the chest. */
  CARDIOMEGALY("Cardiomegaly", 0.03) {
    @Override
    void change(Thorax.Changes c, SplittableRandom rng) {
      c.cardiothoracicRatio = Sampling.uniform(rng, CARDIOMEGALY_CTR_MIN, 0.66);
    }
  },
  /** Fluid at a lung base: the costophrenic angle blunted under a meniscus that rises laterally. */
  EFFUSION("Effusion", 0.11) {
    @Override
    void paint(Scene scene, SplittableRandom rng) {
      Pleura.effusion(scene, rng);
    }
  },
  /** Streaky, hazy interstitial opacities in a zone of one or both lungs. */
  INFILTRATION("Infiltration", 0.19) {
    @Override
    void paint(Scene scene, SplittableRandom rng) {
      Airspace.infiltration(scene, rng);
    }
  },
  /** One (rarely two) lobulated round opacity over 3 cm. */
  MASS("Mass", 0.045) {
    @Override
    void paint(Scene scene, SplittableRandom rng) {
      Lesions.mass(scene, rng);
    }
  },
  /** One to three round opacities under 3 cm. */
  NODULE("Nodule", 0.055) {
    @Override
    void paint(Scene scene, SplittableRandom rng) {
      Lesions.nodules(scene, rng);
    }
  },
  /** Multifocal, fluffy air-space opacities, mostly in the lower zones. */
  PNEUMONIA("Pneumonia", 0.045) {
    @Override
    void paint(Scene scene, SplittableRandom rng) {
      Airspace.pneumonia(scene, rng);
    }
  },
  /** A pleural line with no lung markings beyond it, apical and lateral. */
  PNEUMOTHORAX("Pneumothorax", 0.06) {
    @Override
    void paint(Scene scene, SplittableRandom rng) {
      Pleura.pneumothorax(scene, rng);
    }
  },
  /** A dense, homogeneous lobar opacity bounded by a fissure, with air bronchograms. */
  CONSOLIDATION("Consolidation", 0.055) {
    @Override
    void paint(Scene scene, SplittableRandom rng) {
      Airspace.consolidation(scene, rng);
    }
  },
  /** Bilateral perihilar haze ("bat wing") with Kerley B lines at the bases. */
  EDEMA("Edema", 0.045) {
    @Override
    void change(Thorax.Changes c, SplittableRandom rng) {
      c.vesselScale *= 1.25;
    }

    @Override
    void paint(Scene scene, SplittableRandom rng) {
      Airspace.edema(scene, rng);
    }
  },
  /** Hyperinflated, hyperlucent lungs: low flat diaphragm, pruned vessels, a narrow heart, sometimes bullae. */
  EMPHYSEMA("Emphysema", 0.035) {
    @Override
    void change(Thorax.Changes c, SplittableRandom rng) {
      Parenchyma.hyperinflation(c, rng);
    }

    @Override
    void paint(Scene scene, SplittableRandom rng) {
      Parenchyma.bullae(scene, rng);
    }
  },
  /** A coarse reticular network, peripheral and basal, in both lungs, with smaller lung volumes. */
  FIBROSIS("Fibrosis", 0.03) {
    @Override
    void change(Thorax.Changes c, SplittableRandom rng) {
      Parenchyma.fibroticVolumeLoss(c, rng);
    }

    @Override
    void paint(Scene scene, SplittableRandom rng) {
      Parenchyma.fibrosis(scene, rng);
    }
  },
  /** A smooth soft-tissue band along the chest wall or over the apex. */
  PLEURAL_THICKENING("Pleural_Thickening", 0.04) {
    @Override
    void paint(Scene scene, SplittableRandom rng) {
      Pleura.thickening(scene, rng);
    }
  },
  /** A hiatal hernia: a round retrocardiac shadow with gas above an air-fluid level. */
  HERNIA("Hernia", 0.016) {
    @Override
    void paint(Scene scene, SplittableRandom rng) {
      Lesions.hiatalHernia(scene, rng);
    }
  };

  /** Cardiomegaly's smallest cardiothoracic ratio. */
  public static final double CARDIOMEGALY_CTR_MIN = 0.53;

  private final String label;
  private final double share;

  CxrFinding(String label, double share) {
    this.label = label;
    this.share = share;
  }

  /** The label as ChestX-ray14 writes it, e.g. {@code Pleural_Thickening}. */
  public String label() {
    return label;
  }

  /** The share of synthetic images planned to show it. */
  public double share() {
    return share;
  }

  /** Changes the anatomy before it is drawn (a bigger heart, a lower diaphragm); nothing by default. */
  void change(Thorax.Changes changes, SplittableRandom rng) {}

  /** Draws the finding's own opacities or lucencies; nothing by default. */
  void paint(Scene scene, SplittableRandom rng) {}
}
