#!/usr/bin/python3
"""Writes test/model/fixtures/transducer.json: a tiny RNN-T model in PyTorch (float64) with
sayre's parameter names, its joint logits on a padded batch, and the gradients of
sum(logits * G) for a fixed upstream G (zero outside each sequence's frames and label
positions) with respect to every parameter. Run: /usr/bin/python3 test/model/make_transducer_fixture.py
"""
import json, os
import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

torch.manual_seed(7)
torch.set_default_dtype(torch.float64)
F, H, L, V, E, P, PL, J = 3, 4, 2, 5, 3, 4, 2, 6

class Pred(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(V, E)
        self.lstm = nn.LSTM(E, P, num_layers=PL)

class Joint(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Linear(2 * H, J)
        self.pred = nn.Linear(P, J, bias=False)
        self.out = nn.Linear(J, V)

class Rnnt(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(F, H, num_layers=L, bidirectional=True)
        self.pred = Pred()
        self.joint = Joint()

m = Rnnt()
T, B = 5, 2
lengths = [5, 3]
targets = [[1, 2, 3], [4]]
blank = 0
U1 = max(len(y) for y in targets) + 1
x = torch.randn(T, B, F)
enc, _ = pad_packed_sequence(m.lstm(pack_padded_sequence(x, torch.tensor(lengths), enforce_sorted=False))[0], total_length=T)
ids = torch.zeros(U1, B, dtype=torch.long)  # start symbol = blank, then the labels
for b, y in enumerate(targets):
    for u, k in enumerate(y):
        ids[u + 1, b] = k
plens = torch.tensor([len(y) + 1 for y in targets])
pout, _ = pad_packed_sequence(m.pred.lstm(pack_padded_sequence(m.pred.embed(ids), plens, enforce_sorted=False))[0], total_length=U1)
encP = m.joint.enc(enc)  # [T, B, J]
predP = m.joint.pred(pout).transpose(0, 1)  # [B, U1, J]
logits = m.joint.out(torch.tanh(encP.transpose(0, 1).unsqueeze(2) + predP.unsqueeze(1)))  # [B, T, U1, V]
mask = torch.zeros(B, T, U1, 1)
for b in range(B):
    mask[b, :lengths[b], :len(targets[b]) + 1] = 1
G = torch.randn(B, T, U1, V) * mask
(logits * G).sum().backward()
out = {
    'config': {'type': 'rnnt', 'inputDim': F, 'hiddenSize': H, 'numLayers': L, 'numClasses': V, 'blank': blank,
               'predEmbedDim': E, 'predHiddenSize': P, 'predNumLayers': PL, 'jointDim': J},
    'x': x.flatten().tolist(), 'shape': [T, B, F], 'lengths': lengths, 'targets': targets,
    'logits': (logits * mask).flatten().tolist(), 'logitsShape': [B, T, U1, V], 'upstream': G.flatten().tolist(),
    'params': {n: p.detach().flatten().tolist() for n, p in m.named_parameters()},
    'grads': {n: p.grad.flatten().tolist() for n, p in m.named_parameters()},
}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'fixtures', 'transducer.json')
with open(path + '.tmp', 'w') as f:
    json.dump(out, f)
os.replace(path + '.tmp', path)
print('wrote', path, 'params', sorted(out['params']))
