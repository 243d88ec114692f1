# Reference for ReliabilityBinsTest: scikit-learn's calibration_curve docstring example.
# Run: /usr/bin/python3 reliability_reference.py   (Debian python3-sklearn 1.2.1)
# Prints (array([0. , 0.5, 1. ]), array([0.2  , 0.525, 0.85 ]))
import numpy as np
from sklearn.calibration import calibration_curve

y_true = np.array([0, 0, 0, 0, 1, 1, 1, 1, 1])
y_pred = np.array([0.1, 0.2, 0.3, 0.4, 0.65, 0.7, 0.8, 0.9, 1.0])
print("calibration_curve", calibration_curve(y_true, y_pred, n_bins=3))
