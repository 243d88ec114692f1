# Independent reference values for OodMetricsTest, computed with scikit-learn.
# Run: /usr/bin/python3 reference_values.py   (Debian python3-sklearn 1.2.1, numpy 1.24.2)
import numpy as np
from sklearn.metrics import roc_auc_score, average_precision_score, roc_curve
from sklearn.calibration import calibration_curve

# in-distribution = positive (1); higher score = more in-distribution; ties across classes
s_in = np.array([0.9, 0.8, 0.8, 0.7, 0.6, 0.6, 0.5, 0.4, 0.3, 0.95, 0.8, 0.2, 0.65, 0.6, 0.85, 0.75, 0.9, 0.55, 0.7, 0.8])
s_out = np.array([0.8, 0.6, 0.5, 0.5, 0.3, 0.2, 0.1, 0.6, 0.4, 0.9, 0.05, 0.35])
y = np.r_[np.ones(len(s_in)), np.zeros(len(s_out))]
s = np.r_[s_in, s_out]
print("auroc", repr(roc_auc_score(y, s)))
print("aupr_in", repr(average_precision_score(y, s)))
print("aupr_out", repr(average_precision_score(1 - y, -s)))
fpr, tpr, _ = roc_curve(y, s, drop_intermediate=False)
print("fpr95", repr(fpr[tpr >= 0.95].min()))
fpr, tpr, _ = roc_curve(y, s, drop_intermediate=False)
print("fpr at tpr>=0.5", repr(fpr[tpr >= 0.5].min()))
