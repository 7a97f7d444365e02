#!/usr/bin/env node
// Checked in so npm links the `convotel` command on install, before `tsc -b` has built dist/.
import '../dist/main.js';
