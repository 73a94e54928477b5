// Names of the primitive ops every Backend implements.

export type UnaryOp =
  | 'neg' | 'abs' | 'sign' | 'square' | 'reciprocal' | 'exp' | 'log' | 'sqrt' | 'rsqrt' | 'sin' | 'cos'
  | 'tanh' | 'relu' | 'sigmoid' | 'erf' | 'gelu' | 'geluTanh' | 'floor' | 'logicalNot' | 'isNaN' | 'isFinite';

export type BinaryOp =
  | 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'maximum' | 'minimum'
  | 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge' | 'logicalAnd' | 'logicalOr' | 'logicalXor';

export type ReduceOp = 'sum' | 'max' | 'min' | 'prod';
export type ArgReduceOp = 'argmax' | 'argmin';
