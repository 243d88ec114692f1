package org.calibkit.calibration.charts;

/** Equal-width confidence bins with the share of predictions in each: what a share bar chart draws. */
interface BinShares {
    int numBins();

    double lower(int b);

    double upper(int b);

    /** Fraction of all predictions that fall in bin b. */
    double share(int b);
}
